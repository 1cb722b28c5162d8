import { describe, expect, test } from 'vitest';
import { contentSecurityPolicy, modelOriginSource } from '../../scripts/lib/csp';

const directive = (policy: string, name: string) =>
  policy.split('; ').find((d) => d.startsWith(`${name} `))?.slice(name.length + 1);

describe('Content-Security-Policy', () => {
  test('same-origin models: everything is self, and wasm may compile', () => {
    const policy = contentSecurityPolicy({ modelOrigin: 'models/', forHeader: false });
    expect(directive(policy, 'default-src')).toBe("'self'");
    expect(directive(policy, 'connect-src')).toBe("'self'");
    expect(directive(policy, 'script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(directive(policy, 'worker-src')).toBe("'self'");
    expect(directive(policy, 'object-src')).toBe("'none'");
    expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
  });

  test('an absolute model origin is allowed for connections only, as an origin', () => {
    const policy = contentSecurityPolicy({ modelOrigin: 'https://models.example.org:8443/agent-flan/', forHeader: false });
    expect(directive(policy, 'connect-src')).toBe("'self' https://models.example.org:8443");
    expect(directive(policy, 'script-src')).toBe("'self' 'wasm-unsafe-eval'");
  });

  test('frame-ancestors only in the header form (a meta tag cannot carry it)', () => {
    expect(directive(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: false }), 'frame-ancestors')).toBeUndefined();
    expect(directive(contentSecurityPolicy({ modelOrigin: 'models/', forHeader: true }), 'frame-ancestors')).toBe("'self'");
  });

  test('model origin forms', () => {
    expect(modelOriginSource('./models/')).toBeNull();
    expect(modelOriginSource('/shared/models/')).toBeNull();
    expect(modelOriginSource('http://127.0.0.1:9000/m/')).toBe('http://127.0.0.1:9000');
    expect(modelOriginSource('//cdn.example/m/')).toBe('cdn.example');
    expect(() => modelOriginSource('ftp://cdn.example/m/')).toThrow(/VITE_MODEL_ORIGIN="ftp:\/\/cdn.example\/m\/" must be http\(s\)/);
  });
});
