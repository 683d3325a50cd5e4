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

export type GrpcCodeName = (typeof CODE_NAMES)[number];

export const GrpcCode = Object.fromEntries(CODE_NAMES.map((name, code) => [name, code])) as Record<
  GrpcCodeName,
  number
>;

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
