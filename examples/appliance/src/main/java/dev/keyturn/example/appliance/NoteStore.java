package dev.keyturn.example.appliance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The notes, in one JSON file in the data directory, replaced atomically on every change so that a
 * crash leaves either the old list or the new one.
 */
public final class NoteStore {
  public static final int MAX_TEXT = 2000;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Instants as text, so the file reads well and needs no Java-time module. */
  private record Stored(long id, String createdAt, String text) {}

  private final Path file;
  private final Clock clock;
  private final List<Note> notes = new ArrayList<>();

  public NoteStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    if (Files.exists(file)) {
      try {
        for (Stored s : JSON.readValue(file.toFile(), new TypeReference<List<Stored>>() {})) {
          notes.add(new Note(s.id(), Instant.parse(s.createdAt()), s.text()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the notes in " + file, e);
      }
    }
  }

  /** Newest first. */
  public synchronized List<Note> list() {
    List<Note> out = new ArrayList<>(notes);
    out.sort((a, b) -> Long.compare(b.id(), a.id()));
    return out;
  }

  /** How many notes there are: the usage the license's {@code notes} limit counts. */
  public synchronized long count() {
    return notes.size();
  }

  public synchronized Note add(String text) {
    if (text.isBlank() || text.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "a note holds 1 to " + MAX_TEXT + " characters, this one has " + text.length());
    }
    long id = notes.stream().mapToLong(Note::id).max().orElse(0) + 1;
    Note note = new Note(id, clock.instant(), text.strip());
    notes.add(note);
    save();
    return note;
  }

  private void save() {
    List<Stored> out =
        notes.stream().map(n -> new Stored(n.id(), n.createdAt().toString(), n.text())).toList();
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".notes-", ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), out);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the notes to " + file, e);
    }
  }
}
