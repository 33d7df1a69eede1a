package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every vector file follows the JSON Schema it names, so the documented format is the real one. */
class SchemaTest {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  @TestFactory
  Stream<DynamicTest> each_vector_file_follows_its_schema() throws IOException {
    try (Stream<Path> files = Files.list(CommittedVectors.root().resolve("vectors"))) {
      return files.sorted().toList().stream()
          .map(
              f ->
                  DynamicTest.dynamicTest(
                      f.getFileName().toString(),
                      () -> {
                        JsonNode vectors = CommittedVectors.read(f.getFileName().toString());
                        Set<ValidationMessage> errors = schemaOf(vectors).validate(vectors);
                        assertThat(errors).as(f.toString()).isEmpty();
                      }));
    }
  }

  @Test
  void a_case_without_its_expected_code_breaks_the_schema() {
    JsonNode vectors = CommittedVectors.read("verification.json").deepCopy();
    ((ObjectNode) vectors.path("cases").get(0).path("expected")).remove("code");

    assertThat(schemaOf(vectors).validate(vectors))
        .extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("code"));
  }

  @Test
  void an_instant_in_another_form_breaks_the_schema() {
    JsonNode vectors = CommittedVectors.read("lifecycle.json").deepCopy();
    ((ObjectNode) vectors.path("standing").get(0)).put("at", "2027-11-22 00:00");

    assertThat(schemaOf(vectors).validate(vectors))
        .extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("at"));
  }

  /** The schema a file names in {@code $schema}, relative to {@code vectors/}. */
  private static JsonSchema schemaOf(JsonNode vectors) {
    Path schema =
        CommittedVectors.root()
            .resolve("vectors")
            .resolve(vectors.path("$schema").asText())
            .normalize();
    assertThat(schema).exists();
    return FACTORY.getSchema(SchemaLocation.of(schema.toUri().toString()));
  }
}
