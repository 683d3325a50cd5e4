import { GrpcCode, type GrpcCodeName, grpcCodeName } from "./transport/grpc-status.js";

const HINTS: Partial<Record<number, string>> = {
  [GrpcCode.UNAUTHENTICATED]:
    "the API key is not this node's (read it from <storage>/<network>/api_key) or this machine's clock is more than 60 s off the server's",
};

/** Any failed call: the gRPC code (number and name), the daemon's decoded message and the method called. */
export class LdkServerError extends Error {
  override readonly name = "LdkServerError";
  readonly codeName: GrpcCodeName | `CODE_${number}`;

  constructor(
    readonly method: string,
    readonly code: number,
    readonly grpcMessage: string,
    options?: { cause?: unknown },
  ) {
    const codeName = grpcCodeName(code);
    const hint = HINTS[code];
    super(
      `${method} failed: ${codeName}: ${grpcMessage || "(no message)"}${hint ? ` — ${hint}` : ""}`,
      options,
    );
    this.codeName = codeName;
  }
}
