package dev.keyturn.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.config.SetupException;
import dev.keyturn.server.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleMappingTest {
  private final RoleMapping mapping =
      RoleMapping.parse("groups", "keyturn-admins=ADMIN, keyturn-sales=SALES,staff=readonly");

  @Test
  void the_first_pair_listed_that_the_user_has_wins() {
    assertThat(mapping.roleFor(Map.of("groups", List.of("staff", "keyturn-sales"))))
        .contains(Role.SALES);
    assertThat(mapping.roleFor(Map.of("groups", List.of("keyturn-sales", "keyturn-admins"))))
        .contains(Role.ADMIN);
    assertThat(mapping.roleFor(Map.of("groups", List.of("staff")))).contains(Role.READONLY);
  }

  @Test
  void no_mapped_group_or_no_claim_gives_no_role() {
    assertThat(mapping.roleFor(Map.of("groups", List.of("marketing")))).isEmpty();
    assertThat(mapping.roleFor(Map.of("email", "ada@example.com"))).isEmpty();
    assertThat(mapping.groupsIn(Map.of())).isEmpty();
  }

  @Test
  void reads_a_single_string_and_a_claim_inside_an_object() {
    RoleMapping keycloak = RoleMapping.parse("realm_access.roles", "keyturn-admin=ADMIN");
    assertThat(keycloak.roleFor(Map.of("realm_access", Map.of("roles", List.of("keyturn-admin")))))
        .contains(Role.ADMIN);
    RoleMapping google = RoleMapping.parse("hd", "example.com=READONLY");
    assertThat(google.roleFor(Map.of("hd", "example.com"))).contains(Role.READONLY);
    assertThat(google.roleFor(Map.of("hd", "example.org"))).isEmpty();
  }

  @Test
  void an_unverified_email_address_gives_no_role() {
    RoleMapping byEmail = RoleMapping.parse("email", "ada@example.com=ADMIN");
    assertThat(byEmail.roleFor(Map.of("email", "ada@example.com", "email_verified", true)))
        .contains(Role.ADMIN);
    assertThat(byEmail.roleFor(Map.of("email", "ada@example.com", "email_verified", false)))
        .isEmpty();
  }

  @Test
  void a_mistake_in_the_mapping_stops_the_server_with_the_reason() {
    assertThatThrownBy(() -> RoleMapping.parse("groups", "keyturn-admins=ROOT"))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("'ROOT' (for group 'keyturn-admins') is not a role");
    assertThatThrownBy(() -> RoleMapping.parse("groups", "keyturn-admins"))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("'keyturn-admins' is not group=ROLE");
    assertThatThrownBy(() -> RoleMapping.parse("groups", " "))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("KEYTURN_OIDC_ROLE_MAPPING is empty");
  }
}
