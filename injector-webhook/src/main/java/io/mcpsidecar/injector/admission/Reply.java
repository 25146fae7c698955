package io.mcpsidecar.injector.admission;

/** An HTTP status and a JSON body, ready for the controller to send. */
public record Reply(int status, byte[] body) {}
