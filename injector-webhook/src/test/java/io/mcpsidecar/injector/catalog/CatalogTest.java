package io.mcpsidecar.injector.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.injector.mutation.PodView;
import io.mcpsidecar.injector.support.TestJson;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  static final Set<String> AGENT = Set.of("ghcr.io/mcp-sidecar/agent");

  static final String CATALOG =
      """
      requireDigest: false
      trustedRepositories: [docker.io/istio/proxyv2]
      servers:
        - repository: ghcr.io/acme/weather-mcp
          owner: team-weather
          slo: 99.9% of tools/call under 1 s
          sbom: https://sbom.acme.example/weather-mcp.cdx.json
          digests: [DIGEST1]
        - repository: ghcr.io/acme/files-mcp
          owner: team-files
          slo: best effort
          provenance: https://ghcr.io/acme/files-mcp/attestations
          requireDigest: true
        - repository: acme/echo
          owner: team-echo
          slo: none
          sbom: inline
      """
          .replace("DIGEST1", D1);

  static Catalog catalog() {
    var result = CatalogParser.parse(CATALOG.getBytes(UTF_8));
    assertThat(result).isInstanceOf(CatalogParser.Parsed.class);
    return ((CatalogParser.Parsed) result).catalog();
  }

  static PodView pod(String labels, String... images) {
    var containers = new StringBuilder();
    for (int i = 0; i < images.length; i++) {
      containers.append(i == 0 ? "" : ",");
      containers
          .append("{\"name\":\"c")
          .append(i)
          .append("\",\"image\":\"")
          .append(images[i])
          .append("\"}");
    }
    return new PodView(
        TestJson.parse(
            "{\"metadata\":{\"name\":\"p\",\"labels\":"
                + labels
                + "},\"spec\":{\"containers\":["
                + containers
                + "]}}"));
  }

  static final String MCP = "{\"mcp-sidecar.io/mcp-server\":\"true\"}";

  @Test
  void parsesEntriesWithNormalisedRepositories() {
    Catalog catalog = catalog();
    assertThat(catalog.servers()).hasSize(3);
    assertThat(catalog.entry("docker.io/acme/echo")).isPresent();
    assertThat(catalog.entry("ghcr.io/acme/weather-mcp").orElseThrow().demandsDigest()).isTrue();
    assertThat(catalog.trustedRepositories()).containsExactly("docker.io/istio/proxyv2");
  }

  @Test
  void reportsEveryProblemOfAnInvalidCatalogWithItsPath() {
    var result =
        CatalogParser.parse(
            """
            servers:
              - repository: ghcr.io/acme/x:1.0
                owner: ""
                slo: fine
                digests: [sha256:nothex]
                colour: blue
              - owner: team
            """
                .getBytes(UTF_8));
    assertThat(result)
        .isInstanceOfSatisfying(
            CatalogParser.Invalid.class,
            invalid ->
                assertThat(invalid.problems())
                    .contains(
                        "servers[0].repository: \"ghcr.io/acme/x:1.0\" (expected: a repository without tag or digest (list digests separately))",
                        "servers[0].owner: \"\" (expected: the owning team or person)",
                        "servers[0].digests[0]: \"sha256:nothex\" (expected: sha256:<64 hex digits> (or sha384, sha512))",
                        "servers[0]: no sbom or provenance (expected: an sbom or a provenance reference (or both))",
                        "servers[1].repository: missing (expected: an image repository such as ghcr.io/acme/weather-mcp)",
                        "servers[1].slo: missing (expected: the SLO the server promises)")
                    .anyMatch(p -> p.startsWith("servers[0].colour")));
  }

  @Test
  void allowsApprovedPinnedImagesAndTheTrustedAgent() {
    var decision =
        CatalogPolicy.decide(
            catalog(),
            pod(
                MCP,
                "ghcr.io/acme/weather-mcp@" + D1,
                "ghcr.io/mcp-sidecar/agent:0.1.0",
                "acme/echo:3"),
            AGENT);
    assertThat(decision).isInstanceOf(CatalogDecision.Allowed.class);
    assertThat(decision.checks())
        .extracting(CatalogDecision.ImageCheck::approvedBy)
        .containsExactly("team-weather", "trusted", "team-echo");
  }

  @Test
  void deniesAnUncataloguedImageSayingWhichAndWhy() {
    var decision = CatalogPolicy.decide(catalog(), pod(MCP, "docker.io/evil/mcp:latest"), AGENT);
    assertThat(decision)
        .isInstanceOfSatisfying(
            CatalogDecision.Denied.class,
            d ->
                assertThat(d.problems())
                    .singleElement()
                    .asString()
                    .contains("container \"c0\" image \"docker.io/evil/mcp:latest\"")
                    .contains("not in the approved MCP server catalog"));
  }

  @Test
  void deniesATagWhereTheCatalogDemandsADigest() {
    var decision = CatalogPolicy.decide(catalog(), pod(MCP, "ghcr.io/acme/files-mcp:2.0"), AGENT);
    assertThat(((CatalogDecision.Denied) decision).problems())
        .singleElement()
        .asString()
        .contains("not pinned by digest")
        .contains("owner team-files");
  }

  @Test
  void deniesADigestThatIsNotApproved() {
    var decision =
        CatalogPolicy.decide(catalog(), pod(MCP, "ghcr.io/acme/weather-mcp@" + D2), AGENT);
    assertThat(decision.checks().get(0).reason()).isEqualTo("digest-not-approved");
    assertThat(((CatalogDecision.Denied) decision).problems().get(0)).contains(D1);
  }

  @Test
  void doesNotApplyToPodsThatAreNotMcpServers() {
    var decision = CatalogPolicy.decide(catalog(), pod("{\"app\":\"web\"}", "nginx"), AGENT);
    assertThat(decision).isInstanceOf(CatalogDecision.NotApplicable.class);
  }

  @Test
  void takesTheAgentForPresentOnlyWhenItRunsBesideTheServerFromATrustedImage() {
    var catalog = catalog();
    var nativeSidecar =
        new PodView(
            TestJson.parse(
                "{\"spec\":{\"initContainers\":[{\"name\":\"mcp-sidecar\",\"restartPolicy\":\"Always\","
                    + "\"image\":\"ghcr.io/mcp-sidecar/agent@"
                    + D1
                    + "\"}],\"containers\":[{\"name\":\"s\",\"image\":\"acme/echo:3\"}]}}"));
    var plainInit =
        new PodView(
            TestJson.parse(
                "{\"spec\":{\"initContainers\":[{\"name\":\"mcp-sidecar\","
                    + "\"image\":\"ghcr.io/mcp-sidecar/agent:0.1.0\"}]}}"));
    var mesh =
        new PodView(
            TestJson.parse(
                "{\"spec\":{\"containers\":[{\"name\":\"mcp-sidecar\","
                    + "\"image\":\"istio/proxyv2:1.24\"}]}}"));

    assertThat(CatalogPolicy.missingAgent(catalog, nativeSidecar, AGENT)).isEmpty();
    assertThat(CatalogPolicy.missingAgent(catalog, plainInit, AGENT))
        .hasValueSatisfying(p -> assertThat(p).contains("has no restartPolicy: Always"));
    // a repository the catalog trusts may carry the agent (a mirror, say)
    assertThat(CatalogPolicy.missingAgent(catalog, mesh, AGENT)).isEmpty();
    assertThat(CatalogPolicy.missingAgent(catalog, pod(MCP, "acme/echo:3"), AGENT))
        .hasValueSatisfying(p -> assertThat(p).contains("no container \"mcp-sidecar\""));
  }

  @Test
  void checksOnlyTheEphemeralContainersThatAreNew() {
    String before =
        "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"d1\",\"image\":\"busybox\"}]}}";
    String after =
        "{\"metadata\":{\"labels\":"
            + MCP
            + "},\"spec\":{\"containers\":[{\"name\":\"s\",\"image\":\"evil/mcp\"}],"
            + "\"ephemeralContainers\":[{\"name\":\"d1\",\"image\":\"busybox\"},"
            + "{\"name\":\"d2\",\"image\":\"istio/proxyv2:1.24\"}]}}";

    var decision =
        CatalogPolicy.decideEphemeral(
            catalog(),
            new PodView(TestJson.parse(after)),
            new PodView(TestJson.parse(before)),
            AGENT);

    assertThat(decision).isInstanceOf(CatalogDecision.Allowed.class);
    assertThat(decision.checks())
        .extracting(CatalogDecision.ImageCheck::container)
        .containsExactly("d2");
  }
}
