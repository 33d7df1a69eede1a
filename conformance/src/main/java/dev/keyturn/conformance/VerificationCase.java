package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.cli.license.LicenseView;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.Verification;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** One license file and the reference's verdict on it. */
record VerificationCase(
    String group,
    String name,
    String description,
    byte[] file,
    String ring,
    Instant at,
    String instanceDomain) {

  ObjectNode toJson() {
    ObjectNode c = JsonOut.object();
    c.put("name", name);
    c.put("group", group);
    c.put("description", description);
    c.put("file_base64", Base64.getEncoder().encodeToString(file));
    utf8(file).ifPresentOrElse(t -> c.put("file_text", t), () -> c.putNull("file_text"));
    c.put("key_ring", ring);
    c.put("at", at.toString());
    if (instanceDomain == null) {
      c.putNull("instance_domain");
    } else {
      c.put("instance_domain", instanceDomain);
    }
    c.set(
        "expected",
        expected(
            Reference.verify(file, Fixtures.ring(ring), at, Optional.ofNullable(instanceDomain))));
    return c;
  }

  private ObjectNode expected(Verification v) {
    ObjectNode e = JsonOut.object();
    e.put("code", v.code().name());
    Messages.put(e, v.message());
    Optional<Verification> authentic = Reference.verifySignature(file, Fixtures.ring(ring));
    if (authentic.isPresent()) {
      e.put("signature_code", authentic.get().code().name());
    } else {
      e.putNull("signature_code");
    }
    if (v.license().isPresent()) {
      SignedLicense signed = v.license().get();
      e.set("license", JsonOut.tree(LicenseView.of(signed)));
      e.put("canonical", new String(signed.canonicalBytes(), StandardCharsets.UTF_8));
      e.put("check_in_token", signed.checkInToken());
    } else {
      e.putNull("license");
      e.putNull("canonical");
      e.putNull("check_in_token");
    }
    return e;
  }

  /** The file as text when it is valid UTF-8, for people reading the vectors. */
  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
