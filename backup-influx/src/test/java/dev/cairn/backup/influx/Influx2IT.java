package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.domain.Bucket;
import com.influxdb.client.domain.Organization;
import com.influxdb.client.domain.WritePrecision;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip through a real InfluxDB 2.x. None can be installed on the build machines, so this runs
 * only when {@code CAIRN_TEST_INFLUX2_URL} and {@code CAIRN_TEST_INFLUX2_TOKEN} (an all-access token)
 * are set; {@code CAIRN_TEST_INFLUX2_ORG} picks the organization (default: the token's first).
 */
class Influx2IT {
  static final String URL = System.getenv("CAIRN_TEST_INFLUX2_URL");
  static final String TOKEN = System.getenv("CAIRN_TEST_INFLUX2_TOKEN");

  InfluxDBClient client;
  String org;
  String bucket;

  @BeforeEach
  void connect() {
    assumeTrue(URL != null && TOKEN != null, "InfluxDB 2.x round trip not run: set CAIRN_TEST_INFLUX2_URL and "
        + "CAIRN_TEST_INFLUX2_TOKEN (and optionally CAIRN_TEST_INFLUX2_ORG) to run it against a real 2.x server");
    client = InfluxDBClientFactory.create(URL, TOKEN.toCharArray());
    String wanted = System.getenv("CAIRN_TEST_INFLUX2_ORG");
    Organization o = client.getOrganizationsApi().findOrganizations().stream()
        .filter(x -> wanted == null || wanted.equals(x.getName())).findFirst().orElseThrow();
    org = o.getName();
    bucket = "cairn_it_" + UUID.randomUUID().toString().substring(0, 8);
    client.getBucketsApi().createBucket(bucket, o);
  }

  @AfterEach
  void cleanUp() {
    if (client == null) {
      return;
    }
    for (String name : new String[] {bucket, bucket + "_copy"}) {
      Bucket b = client.getBucketsApi().findBucketByName(name);
      if (b != null) {
        client.getBucketsApi().deleteBucket(b);
      }
    }
    client.close();
  }

  @Test
  void roundTripsEveryFieldTypeThroughARealServer(@TempDir Path dir) throws Exception {
    String lines = String.join("\n",
        "weird\\ name\\,x,k\\ ey=v\\,a\\=l\\ ue,uni=✓ b=true,f\\=k\\\"ey=1.5,i=-9223372036854775808i,"
            + "s=\"quote\\\" back\\\\slash nl\nnext ✓\",u=18446744073709551615u 1795651200000000001",
        "weird\\ name\\,x,k\\ ey=a value=0.1 1795651200000000001",
        "cpu,host=a usage=1e-300 946684800123456789",
        "cpu,host=b usage=2i 1795651200000000002");
    client.getWriteApiBlocking().writeRecord(bucket, org, WritePrecision.NS, lines);
    SourceHarness h = SourceHarness.run(InfluxSource.v2(URL).token(Secret.of(TOKEN)).org(org).bucket(bucket).build(), dir);
    assertThat(Files.readString(h.file(bucket + "/weird name,x/2026-11-26.lp")))
        .contains("u=18446744073709551615u", "i=-9223372036854775808i", "b=true", "f\\=k\\\"ey=1.5");

    RestoreResult r = h.restore(InfluxRestorer.v2(URL).token(Secret.of(TOKEN)).org(org)
        .rename(bucket, bucket + "_copy").build());

    assertThat(r.results()).isNotEmpty().allSatisfy(v -> assertThat(v.status()).as(v.item() + " " + v.message())
        .isEqualTo(VerificationResult.Status.OK));
    // table by table (series and field), so fields of different types are never merged into one table
    String q = "from(bucket: \"%s\") |> range(start: 0) |> drop(columns: [\"_start\", \"_stop\"])";
    assertThat(client.getQueryApi().queryRaw(q.formatted(bucket + "_copy"), org))
        .isEqualTo(client.getQueryApi().queryRaw(q.formatted(bucket), org));
  }
}
