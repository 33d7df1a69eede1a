package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.core.lifecycle.Stage;
import java.util.Set;

/** A lifecycle policy as the vectors write it: what to build, and the stages it must give. */
final class PolicyJson {
  private PolicyJson() {}

  static ObjectNode of(Policy policy) {
    ObjectNode p = JsonOut.object();
    p.put("name", policy.name());
    ArrayNode reminders = p.putArray("reminders");
    for (Stage s : policy.stages()) {
      if (s.offset().isNegative()) {
        ObjectNode r = reminders.addObject();
        r.put("days_before", -s.offset().toDays());
        r.put("level", s.level().name());
        r.put("dismissal", s.dismissal().name());
        recipients(r.putArray("notify"), s.recipients());
      }
    }
    p.put("grace_days", policy.graceDays());
    p.put("grace_mode", policy.graceMode().tomlName());
    p.put("lock_action", policy.lockAction().name());
    recipients(p.putArray("expiry_notify"), policy.expiryNotify());
    recipients(p.putArray("lock_notify"), policy.lockNotify());
    ArrayNode stages = p.putArray("stages");
    for (Stage s : policy.stages()) {
      ObjectNode o = stages.addObject();
      o.put("id", s.id());
      o.put("offset_seconds", s.offset().toSeconds());
      o.put("phase", s.phase().name());
      o.put("level", s.level().name());
      o.put("dismissal", s.dismissal().name());
      o.put("notice", s.notice());
      recipients(o.putArray("recipients"), s.recipients());
    }
    return p;
  }

  private static void recipients(ArrayNode out, Set<Recipient> recipients) {
    recipients.forEach(r -> out.add(r.name()));
  }
}
