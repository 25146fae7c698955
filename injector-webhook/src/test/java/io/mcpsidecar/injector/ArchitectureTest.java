package io.mcpsidecar.injector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the dependency direction: the decisions are pure, the framework stays at the edge. */
class ArchitectureTest {
  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.mcpsidecar.injector");

  @Test
  void mutationAndCatalogDecisionsKnowNoFrameworkAndNoHttp() {
    noClasses()
        .that()
        .resideInAPackage("io.mcpsidecar.injector.mutation..")
        .or()
        .haveNameMatching(
            "io\\.mcpsidecar\\.injector\\.catalog\\.(Catalog|CatalogEntry|CatalogParser|CatalogPolicy|CatalogDecision|ImageReference)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.micronaut..",
            "io.micrometer..",
            "io.netty..",
            "io.mcpsidecar.injector.admission..",
            "io.mcpsidecar.injector.tls..",
            "io.mcpsidecar.injector.config..")
        .check(MAIN);
  }

  @Test
  void mutationDoesNotDependOnTheCatalog() {
    noClasses()
        .that()
        .resideInAPackage("io.mcpsidecar.injector.mutation..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mcpsidecar.injector.catalog..")
        .check(MAIN);
  }

  @Test
  void nothingPrintsToStandardStreams() {
    // the one exception: the command line's --version answer, printed before anything starts
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Application.class.getName())
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethod(Throwable.class, "printStackTrace")
        .check(MAIN);
  }
}
