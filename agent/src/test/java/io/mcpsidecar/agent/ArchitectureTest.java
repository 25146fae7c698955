package io.mcpsidecar.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the dependency direction of the agent's packages. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.mcpsidecar.agent");

  @Test
  void theMessageModelIsPure() {
    noClasses()
        .that()
        .resideInAPackage("..agent.mcp..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.vertx..", "..agent.transport..", "..agent.telemetry..", "..agent.admin..")
        .check(CLASSES);
  }

  @Test
  void transportKnowsNoTelemetryAdminOrHealth() {
    noClasses()
        .that()
        .resideInAPackage("..agent.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..agent.telemetry..", "..agent.admin..", "..agent.health..")
        .check(CLASSES);
  }

  @Test
  void transportKnowsNoTenants() {
    noClasses()
        .that()
        .resideInAPackage("..agent.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..agent.identity..", "..agent.limits..")
        .check(CLASSES);
  }

  @Test
  void identityAndLimitsPlugIntoTheChainAndKnowNoTelemetryOrEachOther() {
    noClasses()
        .that()
        .resideInAnyPackage("..agent.identity..", "..agent.limits..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..agent.telemetry..", "..agent.admin..", "..agent.health..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("..agent.limits..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..agent.identity..")
        .check(CLASSES);
  }

  @Test
  void resilienceWrapsTheUpstreamCallAndKnowsNoTenantsTelemetryOrAdmin() {
    noClasses()
        .that()
        .resideInAPackage("..agent.resilience..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..agent.telemetry..",
            "..agent.admin..",
            "..agent.health..",
            "..agent.identity..",
            "..agent.limits..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAnyPackage("..agent.transport..", "..agent.limits..", "..agent.identity..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..agent.resilience..")
        .check(CLASSES);
  }

  @Test
  void approvalsPlugIntoTheChainAfterPolicyAndKnowNoIdentityAdminOrHealth() {
    // They read what the policy stage handed on (ApprovalRequest), never how the caller was
    // identified; the admin listener serves their API, not the other way round.
    noClasses()
        .that()
        .resideInAPackage("..agent.approvals..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..agent.identity..", "..agent.admin..", "..agent.health..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAnyPackage("..agent.policy..", "..agent.limits..", "..agent.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..agent.approvals..")
        .check(CLASSES);
  }

  @Test
  void theAuditSinkKnowsOnlyTheCall() {
    noClasses()
        .that()
        .resideInAPackage("..agent.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..agent.telemetry..",
            "..agent.identity..",
            "..agent.limits..",
            "..agent.config..",
            "..agent.admin..",
            "..agent.health..")
        .check(CLASSES);
  }

  @Test
  void featurePackagesDoNotReachIntoTheCompositionRoot() {
    noClasses()
        .that()
        .resideInAPackage("io.mcpsidecar.agent.(*)..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mcpsidecar.agent")
        .check(CLASSES);
  }

  @Test
  void onlyTheCompositionRootOpensLongLivedClients() {
    // The upstream pools, the JWKS client and the Redis link are made in Agent, handed to the
    // stages and the endpoint, and closed by Agent when it stops.
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.mcpsidecar.agent.Agent")
        .should()
        .callMethod(
            io.mcpsidecar.agent.transport.UpstreamStage.class,
            "callClient",
            io.vertx.core.Vertx.class,
            int.class)
        .orShould()
        .callMethod(
            io.mcpsidecar.agent.transport.UpstreamStage.class,
            "streamClient",
            io.vertx.core.Vertx.class,
            int.class)
        .orShould()
        .callMethod(
            io.mcpsidecar.agent.identity.IdentityStage.class,
            "jwksClient",
            io.vertx.core.Vertx.class)
        .orShould()
        .callMethod(
            io.mcpsidecar.agent.limits.RedisLink.class,
            "openIfUsed",
            io.mcpsidecar.config.LimitsConfig.class,
            boolean.class)
        .check(CLASSES);
  }

  @Test
  void onlyMainSetsProcessWideState() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.mcpsidecar.agent.Main")
        // logback's configurator: logback runs it once, on the context it is setting up
        .and()
        .doNotHaveFullyQualifiedName("io.mcpsidecar.agent.telemetry.LogSetup")
        .should()
        .callMethod(System.class, "setProperty", String.class, String.class)
        .orShould()
        .callMethod(System.class, "setProperties", java.util.Properties.class)
        .orShould()
        .callMethod(
            ch.qos.logback.classic.Logger.class, "setLevel", ch.qos.logback.classic.Level.class)
        .orShould()
        .callMethod(ch.qos.logback.classic.LoggerContext.class, "reset")
        .check(CLASSES);
  }

  @Test
  void mainCodeNeverPrintsToTheConsoleDirectly() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.mcpsidecar.agent.Main")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
