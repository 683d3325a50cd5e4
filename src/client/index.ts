/**
 * `ldk-regtest/client`: a standalone TypeScript client for LDK Server. It imports nothing from the
 * regtest harness, so it works against any ldk-server.
 */

export type { CallOptions } from "../common/call-options.js";
export { authHeader } from "./auth/hmac.js";
export * from "./gen/ldk_server/bolt11_pb.js";
export * from "./gen/ldk_server/bolt12_pb.js";
export * from "./gen/ldk_server/channel_pb.js";
export * from "./gen/ldk_server/event_pb.js";
export * from "./gen/ldk_server/forwarding_pb.js";
export * from "./gen/ldk_server/graph_pb.js";
export * from "./gen/ldk_server/node_pb.js";
export * from "./gen/ldk_server/onchain_pb.js";
export * from "./gen/ldk_server/payment_pb.js";
export { LightningNode } from "./gen/ldk_server/service_pb.js";
export { type EventStream, LdkServerClient, type LdkServerClientOptions } from "./ldk-server-client.js";
export { LdkServerError } from "./ldk-server-error.js";
export { GrpcCode, type GrpcCodeName, type GrpcCodeValue, grpcCodeName } from "./transport/grpc-status.js";
