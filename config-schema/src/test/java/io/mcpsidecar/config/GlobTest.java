package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one glob dialect of the config: {@code *} any run, {@code ?} one, the rest literal. */
class GlobTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "search_*, search_, true",
    "search_*, search_web, true",
    "search_*, research_web, false",
    "*, '', true",
    "*, anything at all, true",
    "expensive_?, expensive_a, true",
    "expensive_?, expensive_, false",
    "expensive_?, expensive_ab, false",
    "*_db_*, read_db_rows, true",
    "*_db_*, read_db, false",
    "a*b*c, abbbc, true",
    "a*b*c, acb, false",
    "a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    // Every other character is itself: no regular expression, no character class, no escape.
    "file.read, file.read, true",
    "file.read, fileXread, false",
    "[ab], a, false",
    "[ab], [ab], true",
    "a\\*, a\\xyz, true",
    "tool+, toool, false",
    // Case-sensitive.
    "Search_*, search_web, false",
    "search_*, SEARCH_WEB, false"
  })
  void matchesTheWholeNameInTheOneDialect(String glob, String name, boolean matches) {
    assertThat(Glob.of(glob).matches(name)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} ignoring case matches {1}: {2}")
  @CsvSource({
    "*password*, Password, true",
    "*PASSWORD*, db_password_hash, true",
    "authori?ation, AUTHORISATION, true",
    "*token*, tok, false"
  })
  void aKeyThatIgnoresCaseMatchesLettersWhateverTheirCase(
      String glob, String name, boolean matches) {
    assertThat(Glob.of(glob).ignoringCase().matches(name)).isEqualTo(matches);
  }

  @org.junit.jupiter.api.Test
  void neverMatchesNullAndKnowsALiteralFromAPattern() {
    assertThat(Glob.of("*").matches(null)).isFalse();
    assertThat(Glob.of("search").literal()).isTrue();
    assertThat(Glob.of("search_*").literal()).isFalse();
    assertThat(Glob.of("search?").literal()).isFalse();
    assertThat(Glob.of("a*").text()).isEqualTo("a*");
  }
}
