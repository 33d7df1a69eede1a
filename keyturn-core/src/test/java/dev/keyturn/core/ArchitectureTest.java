package dev.keyturn.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Core's package rules (docs/architecture.md): the packages depend on each other in one direction
 * ({@code verify} → {@code crypto} → {@code license} → the root's shared vocabulary, {@code
 * lifecycle} → {@code license}), and core stays free of frameworks.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyturn.core");
  }

  @Test
  void packagesDependOnEachOtherInOneDirection() {
    slices().matching("dev.keyturn.core.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theRootPackageIsSharedVocabularyThatKnowsNoPackageBelowIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.keyturn.core")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.keyturn.core.*..")
        .check(classes);
  }

  @Test
  void coreUsesNoFramework() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta..", "com.fasterxml..", "tools..")
        .check(classes);
  }
}
