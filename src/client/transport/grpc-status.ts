const CODE_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

/** A gRPC status code's name, e.g. `"UNAUTHENTICATED"`. */
export type GrpcCodeName = (typeof CODE_NAMES)[number];

/**
 * gRPC status codes by name, each typed as its literal number: `switch (error.grpcCode)` on an
 * `LdkServerError` names its cases `GrpcCode.UNAVAILABLE` and so on.
 */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const satisfies Record<GrpcCodeName, number>;

/** A gRPC status code's number (0 to 16). */
export type GrpcCodeValue = (typeof GrpcCode)[GrpcCodeName];

/** The name of a gRPC status code, or `CODE_<n>` for a number outside 0 to 16. */
export function grpcCodeName(code: number): GrpcCodeName | `CODE_${number}` {
  return CODE_NAMES[code] ?? `CODE_${code}`;
}

/** `grpc-message` is percent-encoded UTF-8; a malformed escape is shown as sent rather than lost. */
export function decodeGrpcMessage(raw: string | undefined): string {
  if (!raw) return "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Reads `grpc-status`/`grpc-message` from a header or trailer block; undefined when absent. */
export function readStatus(
  headers: Record<string, string | string[] | undefined>,
): { code: number; message: string } | undefined {
  const status = headers["grpc-status"];
  if (status === undefined) return undefined;
  const code = Number(Array.isArray(status) ? status[0] : status);
  const message = headers["grpc-message"];
  return {
    code: Number.isInteger(code) ? code : GrpcCode.UNKNOWN,
    message: decodeGrpcMessage(Array.isArray(message) ? message[0] : message),
  };
}

/**
 * The gRPC code for a reply whose HTTP status is not 200, as gRPC clients map it (grpc's
 * http-grpc-status-mapping): the reply came from something that does not speak gRPC, e.g. a proxy.
 */
export function grpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcCode.INTERNAL;
    case 401:
      return GrpcCode.UNAUTHENTICATED;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
      return GrpcCode.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcCode.UNAVAILABLE;
    default:
      return GrpcCode.UNKNOWN;
  }
}

/**
 * What a response's headers say before any body: a Trailers-Only status, or a problem with the reply
 * itself (HTTP status other than 200, a content-type that is not gRPC). Undefined when the body may follow.
 */
export function readResponseHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): { code: number; message: string } | undefined {
  const httpStatus = Number(headers[":status"]);
  const contentType = String(headers["content-type"] ?? "");
  if (httpStatus !== 200) {
    return {
      code: grpcCodeForHttpStatus(httpStatus),
      message: `HTTP ${httpStatus} reply${contentType ? ` (${contentType})` : ""}: not a gRPC server, or a proxy in between`,
    };
  }
  const status = readStatus(headers as Record<string, string | string[] | undefined>);
  if (status) return status;
  if (!contentType.startsWith("application/grpc")) {
    return {
      code: GrpcCode.UNKNOWN,
      message: `HTTP 200 reply with content-type "${contentType || "(none)"}", not application/grpc`,
    };
  }
  return undefined;
}
