package dev.privacykit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** HTTP calls from tests to a {@link ServiceProcess}: HTTP/1.1, a bearer token, JSON bodies. */
final class ServiceHttp {
  /** HTTP/1.1: the default would try an h2c upgrade on each request, slowing every answer. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServiceHttp() {}

  /** POSTs {@code body} (JSON; null: none) to {@code path}; the answer as it came. */
  static HttpResponse<String> post(ServiceProcess service, String token, String path, String body)
      throws Exception {
    return HTTP.send(
        request(service, token, path)
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code path}; the answer as it came. */
  static HttpResponse<String> get(ServiceProcess service, String token, String path)
      throws Exception {
    return HTTP.send(
        request(service, token, path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs and expects 200 or 201: the answer's JSON. */
  static JsonNode call(ServiceProcess service, String token, String path, String body)
      throws Exception {
    HttpResponse<String> response = post(service, token, path, body);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  /** GETs and expects 200: the answer's JSON. */
  static JsonNode read(ServiceProcess service, String token, String path) throws Exception {
    HttpResponse<String> response = get(service, token, path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The JSON of an answer's body. */
  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static HttpRequest.Builder request(ServiceProcess service, String token, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
        .header("Authorization", "Bearer " + token);
  }
}
