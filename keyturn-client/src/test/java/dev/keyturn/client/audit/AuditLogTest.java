package dev.keyturn.client.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.store.PersistentState;
import dev.keyturn.client.store.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  static final Instant T0 = Instant.parse("2027-03-01T12:00:00Z");

  @TempDir Path dir;

  /** Five entries, with the state file recording the tail as the client does. */
  AuditLog fiveEntries() {
    AuditLog log = new AuditLog(dir);
    StateStore store = new StateStore(dir);
    AuditLog.Tail tail = null;
    for (int i = 1; i <= 5; i++) {
      tail = log.append(T0.plusSeconds(i), "event_" + i, Map.of("n", i, "who", "admin"));
    }
    AuditLog.Tail last = tail;
    store.locked(() -> store.write(PersistentState.initial(T0, last.hash(), last.lines())));
    return log;
  }

  List<String> lines() throws IOException {
    return new ArrayList<>(Files.readAllLines(dir.resolve(AuditLog.FILE), StandardCharsets.UTF_8));
  }

  void write(List<String> lines) throws IOException {
    Files.writeString(
        dir.resolve(AuditLog.FILE), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  @Test
  void an_untouched_log_verifies() {
    fiveEntries();
    AuditVerification v = AuditLog.verify(dir);

    assertThat(v.intact()).as(v.message()).isTrue();
    assertThat(v.lines()).isEqualTo(5);
    assertThat(v.message()).isEqualTo("all 5 lines are intact and chained");
  }

  @Test
  void entries_are_json_lines_chained_by_hash() throws IOException {
    AuditLog log = fiveEntries();
    List<String> lines = lines();

    assertThat(lines.get(0))
        .startsWith("{\"seq\":1,\"at\":\"2027-03-01T12:00:01Z\",\"event\":\"event_1\"")
        .endsWith("\"prev\":\"" + AuditLog.GENESIS + "\"}");
    assertThat(log.entries().get(1).prev()).isEqualTo(AuditLog.sha256(lines.get(0)));
    assertThat(log.entries().get(2).data()).containsEntry("n", 3).containsEntry("who", "admin");
  }

  @Test
  void an_edited_line_is_reported_as_the_first_broken_line() throws IOException {
    fiveEntries();
    List<String> lines = lines();
    lines.set(2, lines.get(2).replace("admin", "nobody"));
    write(lines);

    AuditVerification v = AuditLog.verify(dir);
    assertThat(v.brokenLine()).isEqualTo(OptionalLong.of(3));
    assertThat(v.message()).contains("line 3 was changed");
  }

  @Test
  void a_removed_line_is_reported_as_missing() throws IOException {
    fiveEntries();
    List<String> lines = lines();
    lines.remove(1);
    write(lines);

    AuditVerification v = AuditLog.verify(dir);
    assertThat(v.brokenLine()).isEqualTo(OptionalLong.of(2));
    assertThat(v.message()).contains("line 2 is missing");
  }

  @Test
  void lines_cut_from_the_end_are_caught_by_the_state_file() throws IOException {
    fiveEntries();
    write(lines().subList(0, 3));

    AuditVerification v = AuditLog.verify(dir);
    assertThat(v.brokenLine()).isEqualTo(OptionalLong.of(4));
    assertThat(v.message()).contains("the state file records 5");
  }

  @Test
  void an_edited_last_line_is_caught_by_the_state_file() throws IOException {
    fiveEntries();
    List<String> lines = lines();
    lines.set(4, lines.get(4).replace("event_5", "event_x"));
    write(lines);

    AuditVerification v = AuditLog.verify(dir);
    assertThat(v.brokenLine()).isEqualTo(OptionalLong.of(5));
  }

  @Test
  void a_rewritten_chain_without_the_state_file_still_checks_its_own_links() throws IOException {
    fiveEntries();
    Files.delete(dir.resolve(StateStore.STATE_FILE));
    List<String> lines = lines();
    lines.set(0, lines.get(0).replace("event_1", "event_x"));
    write(lines);

    AuditVerification v = AuditLog.verify(dir);
    assertThat(v.brokenLine()).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void a_line_torn_by_a_crash_is_reported_and_the_log_goes_on() throws IOException {
    AuditLog log = fiveEntries();
    Path file = dir.resolve(AuditLog.FILE);
    Files.writeString(
        file, "{\"seq\":6,\"at\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(log.verify(Optional.empty()).message()).contains("line 6 is incomplete");

    log.append(T0.plusSeconds(7), "after_crash", Map.of());
    AuditVerification v = log.verify(Optional.empty());
    assertThat(v.lines()).isEqualTo(7);
    assertThat(v.brokenLine()).isEqualTo(OptionalLong.of(6));
    assertThat(log.entries()).extracting(AuditEntry::event).endsWith("after_crash");
  }

  @Test
  void a_directory_without_a_log_is_intact_and_nothing_is_created() {
    AuditVerification v = AuditLog.verify(dir);
    assertThat(v.intact()).isTrue();
    assertThat(v.lines()).isZero();
    assertThat(dir).isEmptyDirectory();
  }
}
