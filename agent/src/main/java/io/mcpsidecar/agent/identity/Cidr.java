package io.mcpsidecar.agent.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, matched against a peer's address literal. */
record Cidr(byte[] network, int prefix) {

  /** Parses {@code 10.0.0.0/8} or {@code fd00::/8}; throws on anything else. */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + text);
    }
    byte[] address = literal(text.substring(0, slash));
    int prefix = Integer.parseInt(text.substring(slash + 1));
    if (address == null || prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("not a CIDR: " + text);
    }
    return new Cidr(address, prefix);
  }

  /** Whether the address literal (as the TCP peer reported it) lies in this network. */
  boolean contains(String address) {
    byte[] bytes = address == null ? null : literal(address);
    if (bytes == null || bytes.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (bytes[full] & mask) == (network[full] & mask);
  }

  /** The bytes of an IP literal (an IPv4-mapped IPv6 address gives 4 bytes); null otherwise. */
  private static byte[] literal(String text) {
    String plain =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    // Only literals: never let a host name reach the resolver.
    if (plain.isEmpty()
        || !plain.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null;
    }
    try {
      return InetAddress.getByName(plain).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
