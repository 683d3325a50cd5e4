import { LdkRegtestError } from "../common/errors.js";
import { GrpcCode, type GrpcCodeName, grpcCodeName } from "./transport/grpc-status.js";

const HINTS: Partial<Record<number, string>> = {
  [GrpcCode.UNAUTHENTICATED]:
    "the API key is not this node's (read it from <storage>/<network>/api_key) or this machine's clock is more than 60 s off the server's",
};

/**
 * Any failed call (code LDK_SERVER_CALL): the gRPC status (`grpcCode`, `codeName`), the daemon's decoded
 * message and the method called; all three are in `data` too.
 */
export class LdkServerError extends LdkRegtestError {
  override readonly name = "LdkServerError";
  readonly codeName: GrpcCodeName | `CODE_${number}`;

  /** A failed call of `method` with its gRPC status code and the daemon's message. */
  constructor(
    readonly method: string,
    /** The gRPC status code (see `GrpcCode`). */
    readonly grpcCode: number,
    readonly grpcMessage: string,
    options?: { cause?: unknown },
  ) {
    const codeName = grpcCodeName(grpcCode);
    const hint = HINTS[grpcCode];
    super(
      "LDK_SERVER_CALL",
      `${method} failed: ${codeName}: ${grpcMessage || "(no message)"}${hint ? ` — ${hint}` : ""}`,
      { cause: options?.cause, data: { method, grpcCode, codeName } },
    );
    this.codeName = codeName;
  }
}
