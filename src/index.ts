// Public API: the pattern constructs, the cross-resource checks, the environment model
// and the synth entry points.
export * from './patterns/app-deployment';
export * from './patterns/app-ingress';
export * from './patterns/app-secret';
export * from './patterns/app-service';
export * from './patterns/blue-green';
export * from './patterns/canary-ingress';
export * from './patterns/developer-access';
export * from './patterns/http-route';
export * from './patterns/labels';
export * from './patterns/namespaced-app';
export * from './patterns/network-policy';
export * from './patterns/platform-settings';
export * from './patterns/pod-template';
export * from './patterns/resources';
export * from './patterns/versioned-config-map';
export * from './checks/footprint';
export * from './checks/limit-range-admits-workloads';
export * from './checks/quota-fits-workloads';
export * from './checks/selectors-match-pods';
export * from './config/environment';
export * from './config/environments';
export * from './config/release-state';
export * from './synth/environment-app';
export * from './synth/synthesize';
export * from './synth/write-atomic';
