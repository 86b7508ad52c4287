export {
  type AddressClass,
  classifyAddress,
  type OutboundPolicy,
  outboundPolicyFrom,
  type Refusal,
  staticUrlProblem,
} from './policy.ts';
export {
  OutboundFailed,
  type OutboundHttp,
  type OutboundInit,
  OutboundRefused,
  type OutboundResponse,
  outboundHttp,
} from './request.ts';
