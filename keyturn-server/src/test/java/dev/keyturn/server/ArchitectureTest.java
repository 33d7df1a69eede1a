package dev.keyturn.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's module rules (docs/architecture.md), checked on the compiled classes: each top-level
 * package under {@code dev.keyturn.server} is a module; modules depend on each other in one
 * direction only; what a module keeps in its {@code internal} sub-package is seen by nobody else;
 * the technical packages know no feature; the console and the portal are adapters nobody calls.
 */
class ArchitectureTest {
  private static final String BASE = "dev.keyturn.server";

  /** Plain technical packages: no feature module may appear in them. */
  private static final List<String> TECHNICAL = List.of("web", "jdbc", "config");

  /** User interfaces over the feature modules: they call, nobody calls them. */
  private static final List<String> ADAPTERS = List.of("console", "portal");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
  }

  /** The modules: the top-level packages the server's classes live in. */
  static Set<String> modules() {
    Set<String> modules = new TreeSet<>();
    classes.forEach(
        c -> {
          String p = c.getPackageName();
          if (p.startsWith(BASE + ".")) {
            modules.add(p.substring(BASE.length() + 1).split("\\.")[0]);
          }
        });
    return modules;
  }

  @Test
  void modulesDependOnEachOtherInOneDirection() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * Below the modules too, packages form no cycle; a module's {@code internal} package counts as
   * part of the module's own package (it implements what that package declares, and the two use
   * each other like the classes of one package).
   */
  @Test
  void packagesInsideAModuleHaveNoCyclesEither() {
    slices().assignedFrom(PACKAGES_WITH_INTERNALS_FOLDED).should().beFreeOfCycles().check(classes);
  }

  private static final SliceAssignment PACKAGES_WITH_INTERNALS_FOLDED =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          if (!p.startsWith(BASE + ".")) {
            return SliceIdentifier.ignore();
          }
          return SliceIdentifier.of(p.replaceFirst("\\.internal(\\..*)?$", ""));
        }

        @Override
        public String getDescription() {
          return "packages, each module's internal folded into the module";
        }
      };

  @Test
  void internalsStayInsideTheirModule() {
    CompositeArchRule rule = null;
    for (String m : modules()) {
      ArchRule r =
          noClasses()
              .that()
              .resideOutsideOfPackage(BASE + "." + m + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(BASE + "." + m + ".internal..")
              .as("only " + m + " uses " + m + ".internal");
      rule = rule == null ? CompositeArchRule.of(r) : rule.and(r);
    }
    rule.check(classes);
  }

  @Test
  void technicalPackagesKnowNoFeature() {
    for (String t : TECHNICAL) {
      noClasses()
          .that()
          .resideInAPackage(BASE + "." + t + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              modules().stream()
                  .filter(m -> !TECHNICAL.contains(m))
                  .map(m -> BASE + "." + m + "..")
                  .toArray(String[]::new))
          .check(classes);
    }
  }

  @Test
  void nobodyCallsTheUserInterfaces() {
    for (String a : ADAPTERS) {
      noClasses()
          .that()
          .resideOutsideOfPackage(BASE + "." + a + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(BASE + "." + a + "..")
          .check(classes);
    }
  }
}
