package dev.keyturn.server.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The shape of every error body ({@code application/problem+json}, built by {@link Problems}), for
 * the OpenAPI document only: operations point their error responses at it.
 *
 * @param code the stable {@link ErrorCode} string clients branch on
 * @param errors every invalid field of a {@code validation.failed} problem
 */
@Schema(name = "Problem", description = "RFC 9457 problem details with Keyturn's stable error code")
public record ApiProblem(
    @Schema(example = "urn:keyturn:problem:validation.failed") String type,
    @Schema(example = "The request is not valid") String title,
    @Schema(example = "400") int status,
    @Schema(example = "paid_through: is required") String detail,
    String instance,
    @Schema(example = "validation.failed") String code,
    List<ValidationException.FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
