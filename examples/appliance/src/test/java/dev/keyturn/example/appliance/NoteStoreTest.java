package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.client.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoteStoreTest {
  @TempDir Path dir;

  @Test
  void notes_survive_a_restart_newest_first() {
    SettableClock clock = new SettableClock(Instant.parse("2027-01-10T09:00:00Z"));
    NoteStore store = new NoteStore(dir.resolve("notes.json"), clock);
    store.add("first");
    store.add("  second  ");

    NoteStore reopened = new NoteStore(dir.resolve("notes.json"), clock);

    assertThat(reopened.list()).extracting(Note::text).containsExactly("second", "first");
    assertThat(reopened.list().get(0).createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void an_empty_or_overlong_note_is_refused_and_nothing_is_written() {
    NoteStore store = new NoteStore(dir.resolve("notes.json"), new SettableClock(Instant.EPOCH));

    assertThatThrownBy(() -> store.add("   ")).hasMessageContaining("1 to 2000 characters");
    assertThatThrownBy(() -> store.add("x".repeat(2001))).hasMessageContaining("2001");
    assertThat(Files.exists(dir.resolve("notes.json"))).isFalse();
  }
}
