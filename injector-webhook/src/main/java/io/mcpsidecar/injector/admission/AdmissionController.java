package io.mcpsidecar.injector.admission;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/**
 * The HTTP edge of the webhooks: thin on purpose. The body arrives as bytes (its size already
 * bounded by {@code micronaut.server.max-request-size}) and is parsed by {@link ReviewParser}, so a
 * malformed review is answered by our code, with a message, not by a framework default.
 */
@Controller
public class AdmissionController {
  private final MutationHandler mutation;
  private final ValidationHandler validation;

  public AdmissionController(MutationHandler mutation, ValidationHandler validation) {
    this.mutation = mutation;
    this.validation = validation;
  }

  @Post(uri = "/mutate", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<byte[]> mutate(HttpRequest<byte[]> request) {
    return send(mutation.handle(request.getBody().orElse(null)));
  }

  @Post(uri = "/validate", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<byte[]> validate(HttpRequest<byte[]> request) {
    return send(validation.handle(request.getBody().orElse(null)));
  }

  private static HttpResponse<byte[]> send(Reply reply) {
    return HttpResponse.<byte[]>status(io.micronaut.http.HttpStatus.valueOf(reply.status()))
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(reply.body());
  }
}
