package io.mcpsidecar.agent.transport;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Netty's NIO server channel, with {@link AcceptGate}'s cap applied as each connection is accepted:
 * past the cap the connection is closed at once, on the accepting thread, and no Netty channel is
 * made for it.
 */
final class GatedServerSocketChannel extends NioServerSocketChannel {

  private final AcceptGate gate;

  GatedServerSocketChannel(AcceptGate gate) {
    this.gate = gate;
  }

  @Override
  protected int doReadMessages(List<Object> buf) throws Exception {
    InetSocketAddress local = localAddress();
    AcceptGate.Port port = local == null ? null : gate.port(local.getPort());
    if (port == null) {
      return super.doReadMessages(buf);
    }
    SocketChannel accepted = javaChannel().accept();
    if (accepted == null) {
      return 0;
    }
    if (!port.tryAdmit()) {
      closeQuietly(accepted);
      return 1; // counts towards the reads of this loop turn, so a flood cannot hold the thread
    }
    try {
      NioSocketChannel child = new NioSocketChannel(this, accepted);
      child.closeFuture().addListener(closed -> port.closed());
      buf.add(child);
      return 1;
    } catch (RuntimeException | Error e) {
      port.closed();
      closeQuietly(accepted);
      throw e;
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already gone: nothing to release
    }
  }
}
