package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.core.crypto.Pem;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/** {@code keys/*.pem} and {@code vectors/keys.json}: the key pairs every other vector uses. */
final class KeyVectors {
  private static final HexFormat HEX = HexFormat.of();

  private KeyVectors() {}

  static void addTo(Map<String, byte[]> files) {
    ObjectNode root =
        Vectors.header(
            "keys",
            "Ed25519 key pairs from fixed seeds, with their key ids and the key rings the other vectors name.");
    ArrayNode keys = root.putArray("keys");
    for (String id : Fixtures.KEY_IDS) {
      KeyPair pair = Fixtures.pair(id);
      String privatePem = Pem.privateKey(pair.getPrivate());
      String publicPem = Pem.publicKey(pair.getPublic());
      String privateFile = "keys/" + id + ".private.pem";
      String publicFile = "keys/" + id + ".public.pem";
      Generate.text(files, privateFile, privatePem);
      Generate.text(files, publicFile, publicPem);
      ObjectNode k = keys.addObject();
      k.put("key_id", id);
      k.put("role", role(id));
      k.put("seed_hex", HEX.formatHex(Fixtures.seed(id)));
      k.put("public_key_hex", HEX.formatHex(rawPublic(pair)));
      k.put("private_pem", privatePem);
      k.put("public_pem", publicPem);
      k.put("private_pem_file", privateFile);
      k.put("public_pem_file", publicFile);
    }
    ObjectNode rings = root.putObject("key_rings");
    Fixtures.KEY_RINGS.forEach(
        (name, ids) -> {
          ArrayNode a = rings.putArray(name);
          ids.forEach(a::add);
        });
    root.put("unknown_key_id", Fixtures.UNKNOWN_KEY);
    Generate.text(files, "vectors/keys.json", JsonOut.write(root));
  }

  private static String role(String id) {
    return switch (id) {
      case Fixtures.OLD_KEY -> "rotated: signed licenses before the rotation, still trusted";
      case Fixtures.CURRENT_KEY -> "current: signs new licenses";
      case Fixtures.ROGUE_KEY -> "untrusted: in no key ring";
      default -> throw new IllegalArgumentException(id);
    };
  }

  /** An X.509 SubjectPublicKeyInfo of Ed25519 ends with the 32 raw key bytes (RFC 8410). */
  private static byte[] rawPublic(KeyPair pair) {
    byte[] der = pair.getPublic().getEncoded();
    return Arrays.copyOfRange(der, der.length - 32, der.length);
  }
}
