package dev.keyturn.server.signingkey.internal;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.signingkey.SigningKeys;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes the public keys clients trust, by id, including the next one before it signs anything;
 * preparing and activating keys is for admins.
 */
@RestController
@Tag(name = "Signing keys", description = "The public keys licenses are signed with, and rotation")
class SigningKeyController {
  private final SigningKeys keys;

  SigningKeyController(SigningKeys keys) {
    this.keys = keys;
  }

  record KeyList(String activeKeyId, String nextKeyId, List<SigningKeys.PublicKeyInfo> keys) {}

  @GetMapping("/api/v1/signing-keys")
  @Operation(
      summary = "List the signing keys",
      description =
          "Every key ever used, oldest first, with its state: active (signs new licenses), next"
              + " (prepared, published so clients can trust it, signs nothing yet) or retired"
              + " (still verifies what it signed). Public.")
  @SecurityRequirements // none: public keys are public
  @ApiResponse(responseCode = "200", description = "The keys, and the active and next key ids")
  KeyList list() {
    List<SigningKeys.PublicKeyInfo> all = keys.list();
    return new KeyList(idIn(all, SigningKeys.State.ACTIVE), idIn(all, SigningKeys.State.NEXT), all);
  }

  /** {@code <id>.public.pem}, as {@code keyturn license verify --trust} reads it. */
  @GetMapping("/api/v1/signing-keys/{keyId}/public.pem")
  @Operation(
      summary = "Download a key's public half (PEM)",
      description = "For any key, the next one included, so it can be shipped before it signs.")
  @SecurityRequirements // none: public keys are public
  @ApiResponse(responseCode = "200", description = "The PEM file")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  ResponseEntity<String> pem(@PathVariable String keyId) {
    SigningKeys.PublicKeyInfo key =
        keys.find(keyId).orElseThrow(() -> KeyturnServerException.notFound("signing key", keyId));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/x-pem-file"))
        .header(
            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + keyId + ".public.pem\"")
        .body(key.publicKeyPem());
  }

  @PostMapping("/api/v1/signing-keys/next")
  @Operation(
      summary = "Prepare the next signing key",
      description =
          "Makes a key in state next without activating it: nothing is signed with it until"
              + " rotate. Publish its public half with the product first. At most one is pending:"
              + " while one is, it is answered (200) and nothing is made. Audited as"
              + " signing_key.prepared. ADMIN.")
  @ApiResponse(responseCode = "201", description = "Prepared: the next key")
  @ApiResponse(responseCode = "200", description = "One was already pending: that key")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(
      responseCode = "409",
      ref = OpenApiConfiguration.CONFLICT,
      description = "Another replica prepared one at the same moment")
  ResponseEntity<SigningKeys.PublicKeyInfo> prepareNext() {
    SigningKeys.Prepared prepared = keys.prepareNext(Actor.current().name());
    return ResponseEntity.status(prepared.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(prepared.key());
  }

  @PostMapping("/api/v1/signing-keys/rotate")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Rotate: activate the next signing key",
      description =
          "Activates the pending next key, or, when none is pending, makes a new key active at"
              + " once (clients that do not trust it yet then refuse the licenses it signs). The"
              + " previous key is retired, never deleted, and still verifies. Audited as"
              + " signing_key.rotated. ADMIN.")
  @ApiResponse(responseCode = "201", description = "The key that now signs")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(
      responseCode = "409",
      ref = OpenApiConfiguration.CONFLICT,
      description = "Another rotation committed at the same moment; nothing changed")
  SigningKeys.PublicKeyInfo rotate() {
    return keys.rotate(Actor.current().name());
  }

  private static String idIn(List<SigningKeys.PublicKeyInfo> all, SigningKeys.State state) {
    return all.stream()
        .filter(k -> k.state() == state)
        .findFirst()
        .map(SigningKeys.PublicKeyInfo::keyId)
        .orElse(null);
  }
}
