/** Where a Secret's value comes from. */
export type SecretSource =
  /** Create the Secret from this non-sensitive placeholder value (dev/test; never a real credential). */
  | { readonly kind: 'placeholder'; readonly value: string }
  /** Reference a Secret made outside the repository (000:L110-111), by name only. */
  | { readonly kind: 'existing'; readonly secretName: string };
