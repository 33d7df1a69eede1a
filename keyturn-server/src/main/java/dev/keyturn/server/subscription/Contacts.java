package dev.keyturn.server.subscription;

import java.util.List;

/** Who hears about the license: the customer's admins (reminders) and billing (payments). */
public record Contacts(List<String> adminEmails, List<String> billingEmails) {
  public static final Contacts NONE = new Contacts(List.of(), List.of());

  public Contacts {
    adminEmails = adminEmails == null ? List.of() : List.copyOf(adminEmails);
    billingEmails = billingEmails == null ? List.of() : List.copyOf(billingEmails);
  }
}
