package io.mcpsidecar.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.1.2.3, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.0/25, 192.168.1.127, true",
    "192.168.1.0/25, 192.168.1.128, false",
    "127.0.0.0/8, ::ffff:127.0.0.1, true",
    "fd00::/8, fd12::1, true",
    "fd00::/8, fe80::1, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "10.0.0.0/8, example.com, false",
    "10.0.0.0/8, fd00::1, false"
  })
  void matchesAddressLiteralsOnly(String cidr, String address, boolean inside) {
    assertThat(Cidr.parse(cidr).contains(address)).isEqualTo(inside);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10.0.0.0", "10.0.0.0/33", "host/8"})
  void refusesWhatIsNoNetwork(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
