package dev.cairn.backup.influx;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal MessagePack reader for InfluxDB 1.x query responses ({@code Accept: application/x-msgpack}):
 * unlike the JSON response it keeps floats and integers apart and every integer exact. Maps become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, integers {@code Long} (or
 * {@code BigInteger} above {@code Long.MAX_VALUE}), floats {@code Double}.
 */
final class MsgPack {
  private final DataInputStream in;

  MsgPack(InputStream in) {
    this.in = new DataInputStream(in);
  }

  /** Reads the next top-level value, or returns {@code null} at the end of the stream. */
  Map<String, Object> nextMessage() throws IOException {
    int b = in.read();
    if (b < 0) {
      return null;
    }
    Object v = value(b);
    if (!(v instanceof Map<?, ?>)) {
      throw new IOException("unexpected MessagePack response from InfluxDB: " + v);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return m;
  }

  private Object value(int b) throws IOException {
    if (b <= 0x7f) {
      return (long) b;
    }
    if (b >= 0xe0) {
      return (long) (byte) b;
    }
    if ((b & 0xf0) == 0x80) {
      return map(b & 0x0f);
    }
    if ((b & 0xf0) == 0x90) {
      return array(b & 0x0f);
    }
    if ((b & 0xe0) == 0xa0) {
      return string(b & 0x1f);
    }
    return switch (b) {
      case 0xc0 -> null;
      case 0xc2 -> Boolean.FALSE;
      case 0xc3 -> Boolean.TRUE;
      case 0xc4 -> bytes(in.readUnsignedByte());
      case 0xc5 -> bytes(in.readUnsignedShort());
      case 0xc6 -> bytes(in.readInt());
      case 0xca -> (double) in.readFloat();
      case 0xcb -> in.readDouble();
      case 0xcc -> (long) in.readUnsignedByte();
      case 0xcd -> (long) in.readUnsignedShort();
      case 0xce -> in.readInt() & 0xffffffffL;
      case 0xcf -> {
        long v = in.readLong();
        yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
      }
      case 0xd0 -> (long) in.readByte();
      case 0xd1 -> (long) in.readShort();
      case 0xd2 -> (long) in.readInt();
      case 0xd3 -> in.readLong();
      case 0xd9 -> string(in.readUnsignedByte());
      case 0xda -> string(in.readUnsignedShort());
      case 0xdb -> string(in.readInt());
      case 0xdc -> array(in.readUnsignedShort());
      case 0xdd -> array(in.readInt());
      case 0xde -> map(in.readUnsignedShort());
      case 0xdf -> map(in.readInt());
      case 0xd4 -> ext(1);
      case 0xd5 -> ext(2);
      case 0xd6 -> ext(4);
      case 0xd7 -> ext(8);
      case 0xd8 -> ext(16);
      case 0xc7 -> ext(in.readUnsignedByte());
      case 0xc8 -> ext(in.readUnsignedShort());
      case 0xc9 -> ext(in.readInt());
      default -> throw new IOException("unsupported MessagePack byte 0x" + Integer.toHexString(b));
    };
  }

  private Object next() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("InfluxDB response ended in the middle of a value");
    }
    return value(b);
  }

  private Map<String, Object> map(int n) throws IOException {
    Map<String, Object> m = new HashMap<>(Math.max(4, n * 2));
    for (int i = 0; i < n; i++) {
      m.put(String.valueOf(next()), next());
    }
    return m;
  }

  private List<Object> array(int n) throws IOException {
    List<Object> l = new ArrayList<>(Math.min(n, 1 << 16));
    for (int i = 0; i < n; i++) {
      l.add(next());
    }
    return l;
  }

  private String string(int n) throws IOException {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  private byte[] bytes(int n) throws IOException {
    if (n < 0) {
      throw new IOException("MessagePack length out of range");
    }
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("InfluxDB response ended in the middle of a value");
    }
    return b;
  }

  private Object ext(int n) throws IOException {
    int type = in.readByte();
    byte[] data = bytes(n);
    throw new IOException("unexpected MessagePack extension type " + type + " (" + data.length
        + " bytes) in InfluxDB response; timestamps should be integers because of epoch=ns");
  }
}
