package dev.cairn.backup.storage.s3;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Records every HTTP request the SDK sends, as it goes on the wire. */
final class RecordingInterceptor implements ExecutionInterceptor {
  final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    requests.add(context.httpRequest());
  }

  /** The requests whose method is {@code method} and whose query has {@code queryParameter} (or any, if null). */
  List<SdkHttpRequest> find(String method, String queryParameter) {
    return requests.stream()
        .filter(r -> r.method().name().equals(method))
        .filter(r -> queryParameter == null || r.rawQueryParameters().containsKey(queryParameter))
        .toList();
  }
}
