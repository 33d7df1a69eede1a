package dev.keyturn.server.signingkey;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.system.KeyturnServerException;
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

/** Publishes the public keys clients trust, by id; rotation is for admins. */
@RestController
class SigningKeyController {
  private final SigningKeys keys;

  SigningKeyController(SigningKeys keys) {
    this.keys = keys;
  }

  record KeyList(String activeKeyId, List<SigningKeys.PublicKeyInfo> keys) {}

  @GetMapping("/api/v1/signing-keys")
  KeyList list() {
    List<SigningKeys.PublicKeyInfo> all = keys.list();
    String active =
        all.stream()
            .filter(SigningKeys.PublicKeyInfo::active)
            .findFirst()
            .map(k -> k.keyId())
            .orElse(null);
    return new KeyList(active, all);
  }

  /** {@code <id>.public.pem}, as {@code keyturn license verify --trust} reads it. */
  @GetMapping("/api/v1/signing-keys/{keyId}/public.pem")
  ResponseEntity<String> pem(@PathVariable String keyId) {
    SigningKeys.PublicKeyInfo key =
        keys.find(keyId).orElseThrow(() -> KeyturnServerException.notFound("signing key", keyId));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/x-pem-file"))
        .header(
            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + keyId + ".public.pem\"")
        .body(key.publicKeyPem());
  }

  @PostMapping("/api/v1/signing-keys/rotate")
  @ResponseStatus(HttpStatus.CREATED)
  SigningKeys.PublicKeyInfo rotate() {
    return keys.rotate(Actor.current().name());
  }
}
