import { describe, expect, it } from 'vitest';
import { PROFILES, profileDeviations } from '../../../src/probes/readings/tls-profile.js';

const intermediate = PROFILES['mozilla-intermediate'];
const modern = PROFILES['mozilla-modern'];

// What a server configured from Mozilla's intermediate template answers (TLS 1.2 and 1.3, ECDHE AEAD suites,
// an RSA-2048 certificate of 90 days, HSTS for two years).
const conforming = {
  accepted: { SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
  suites: { 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'], 'TLSv1.3': ['TLS_AES_256_GCM_SHA384'] },
  certificate: { keyType: 'rsa', rsaBits: 2048, lifetimeDays: 90 },
  hstsMaxAge: 63072000,
};

describe('Mozilla server-side TLS profiles (guidelines 6.0)', () => {
  it('a server built from the intermediate template conforms to it', () => {
    expect(profileDeviations(intermediate, conforming)).toEqual([]);
  });

  it('names each deviation from intermediate: a legacy version, a CBC suite, a small key, a long lifetime, short HSTS', () => {
    const seen = {
      accepted: { ...conforming.accepted, TLSv1: true },
      suites: { 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] },
      certificate: { keyType: 'rsa', rsaBits: 1024, lifetimeDays: 398 },
      hstsMaxAge: 31536000,
    };
    expect(profileDeviations(intermediate, seen).map((d) => d.id)).toEqual([
      'version.TLSv1',
      'cipher.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
      'certificate.key-size',
      'certificate.lifetime',
      'hsts.max-age',
    ]);
    expect(profileDeviations(intermediate, seen)[0]!.message).toBe('TLSv1 is accepted; mozilla-intermediate allows only TLSv1.2 and TLSv1.3');
  });

  it('modern is TLS 1.3 with ECDSA certificates of at most 90 days: the intermediate server deviates from it', () => {
    expect(profileDeviations(modern, conforming)).toEqual([
      { id: 'version.TLSv1.2', message: 'TLSv1.2 is accepted; mozilla-modern allows only TLSv1.3' },
      {
        id: 'cipher.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        message: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 is accepted at TLSv1.2; it is not in mozilla-modern',
      },
      {
        id: 'cipher.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
        message: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 is accepted at TLSv1.2; it is not in mozilla-modern',
      },
      { id: 'certificate.key-type', message: 'the certificate has a rsa key; mozilla-modern wants EC' },
    ]);
    expect(
      profileDeviations(modern, { accepted: { 'TLSv1.3': true, 'TLSv1.2': false }, certificate: { keyType: 'ec', curve: 'secp521r1', lifetimeDays: 90 } }),
    ).toEqual([{ id: 'certificate.curve', message: "the certificate's key is on secp521r1; mozilla-modern wants prime256v1 or secp384r1" }]);
  });

  it('a refused version the profile expects is a deviation; versions not observed are not judged', () => {
    expect(profileDeviations(intermediate, { accepted: { 'TLSv1.3': true, 'TLSv1.2': false } }).map((d) => d.message)).toEqual([
      'TLSv1.2 is refused; mozilla-intermediate expects it',
    ]);
    expect(profileDeviations(intermediate, {})).toEqual([]);
  });
});
