// The `certificate` check kind, policy side: a certificate file on the host. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const certificateSelector = def(
    'certificateSelector',
    T.Object(
      {
        path: T.String({ minLength: 1, description: 'Absolute path of the PEM file; every certificate in it is read, in the order it holds them.' }),
        key: T.Optional(T.String({ minLength: 1, description: 'Absolute path of the PEM private key that must belong to the first certificate (the leaf).' })),
      },
      {
        description: 'A PEM certificate file on the audited host (one certificate or a bundle, leaf first), read through the transport.',
        additionalProperties: false,
      },
    ),
  );
  const certificateExpect = def(
    'certificateExpect',
    T.Object(
      {
        daysLeft: T.Optional(
          ref<Matcher>('matcher', {
            description:
              'Matcher for the whole days left (rounded down, negative once expired) of the earliest-expiring certificate of the bundle, leaf or intermediate; the result names it.',
          }),
        ),
        fractionLeft: T.Optional(
          ref<Matcher>('matcher', { description: 'Matcher for the share of its lifetime (0 to 1) the earliest-expiring certificate of the bundle has left.' }),
        ),
        leaf: T.Optional(
          T.Object(
            {
              daysLeft: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the whole days the leaf has left (negative once expired).' })),
            },
            { description: 'Expectations of the first certificate (the leaf) alone.', minProperties: 1, additionalProperties: false },
          ),
        ),
        notYetValid: T.Optional(T.Boolean({ description: 'Some certificate of the bundle is (true) or none is (false) before its notBefore.' })),
        chainOrder: T.Optional(
          T.Boolean({ description: 'The bundle is (true) or is not (false) in order: each certificate issued (names and signature) by the one after it.' }),
        ),
        keyMatches: T.Optional(T.Boolean({ description: "The selector's key belongs (true) or does not belong (false) to the leaf; needs `key`." })),
        selfSigned: T.Optional(T.Boolean({ description: 'The leaf is (true) or is not (false) self-signed.' })),
        sha1: T.Optional(
          T.Boolean({ description: 'Some certificate of the bundle other than a self-signed root is (true) or none is (false) signed with SHA-1.' }),
        ),
        keyBits: T.Optional(ref<Matcher>('matcher', { description: "Matcher for the leaf's key size in bits (RSA modulus, EC curve size)." })),
      },
      { description: "What must hold of the file's certificates, at the time the facts were collected.", minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: certificateSelector.ref(),
    expect: certificateExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  // Certificate files on the host, read through the transport: their expiry is an outage of their own kind.
  area: 'certificates',
  schema,
  selector: (v: Written['selector']) => {
    const spec: { path: string; key?: string } = { path: v.path };
    if (v.key !== undefined) spec.key = v.key;
    return { kind: 'certificate' as const, spec };
  },
};
