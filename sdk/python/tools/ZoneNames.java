import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Prints, as JSON, the short zone name Java's "z" pattern (Locale.ENGLISH) writes for every zone id
 * and UTC offset it takes from 2020 to 2050: {"Europe/Paris": {"3600": "CET", "7200": "CEST"}, ...}.
 * Banner texts name the zone this way; Python's tzdata abbreviations differ ("-03" where Java says
 * "BRT"), so the Python SDK ships this table. Regenerate with:
 *   java sdk/python/tools/ZoneNames.java > sdk/python/src/keyturn/lifecycle/zone_names.json
 */
public class ZoneNames {
  public static void main(String[] args) {
    DateTimeFormatter z = DateTimeFormatter.ofPattern("z", Locale.ENGLISH);
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    Instant to = Instant.parse("2050-01-01T00:00:00Z");
    StringBuilder out = new StringBuilder("{\n");
    boolean firstZone = true;
    for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
      ZoneId zone = ZoneId.of(id);
      Map<Integer, String> names = new TreeMap<>();
      for (Instant t = from; t.isBefore(to); t = t.plusSeconds(7 * 86400L)) {
        ZonedDateTime at = t.atZone(zone);
        names.putIfAbsent(at.getOffset().getTotalSeconds(), z.format(at));
      }
      out.append(firstZone ? "" : ",\n").append("  \"").append(id).append("\": {");
      firstZone = false;
      boolean first = true;
      for (Map.Entry<Integer, String> e : names.entrySet()) {
        out.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": \"")
            .append(e.getValue()).append('"');
        first = false;
      }
      out.append('}');
    }
    System.out.println(out.append("\n}"));
  }
}
