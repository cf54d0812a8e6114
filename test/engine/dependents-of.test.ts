import { describe, expect, it } from 'vitest';
import type { ControlConfig } from '../../src/core/index.js';
import { dependentsOf } from '../../src/engine/dependencies.js';
import type { EngineState } from '../../src/engine/engine-state.js';
import type { AppRuntime } from '../../src/engine/runtime.js';

/** Runtimes looked up by name only: walking them all per sync is what `dependentsOf` must not do. */
class LookupOnly<K, V> extends Map<K, V> {
  override values(): MapIterator<V> {
    throw new Error('walked every runtime');
  }
  override entries(): MapIterator<[K, V]> {
    throw new Error('walked every runtime');
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    throw new Error('walked every runtime');
  }
}

const app = (name: string, dependsOn?: string[]) => ({ name, ...(dependsOn ? { dependsOn } : {}) });
const runtime = (spec: { name: string; dependsOn?: string[] }) => ({ spec }) as unknown as AppRuntime;

function state(apps: ReturnType<typeof app>[]): EngineState {
  const runtimes = new LookupOnly<string, AppRuntime>();
  for (const spec of apps) runtimes.set(spec.name, runtime(spec));
  return { config: { apps } as unknown as ControlConfig, runtimes } as unknown as EngineState;
}

describe('the apps that depend on an app', () => {
  it('are found from the config without walking every app, and follow a new config', () => {
    const st = state([app('db'), app('api', ['db']), app('web', ['api', 'db']), app('docs')]);
    expect(dependentsOf(st, 'db').map((rt) => rt.spec.name)).toEqual(['api', 'web']);
    expect(dependentsOf(st, 'api').map((rt) => rt.spec.name)).toEqual(['web']);
    expect(dependentsOf(st, 'docs')).toEqual([]);

    // A new config: web no longer waits for db.
    const next = [app('db'), app('api', ['db']), app('web', ['api']), app('docs')];
    st.config = { apps: next } as unknown as ControlConfig;
    st.runtimes.set('web', runtime(app('web', ['api'])));
    expect(dependentsOf(st, 'db').map((rt) => rt.spec.name)).toEqual(['api']);
  });

  it('leave out a runtime whose spec does not list the app yet (a config being applied)', () => {
    const st = state([app('db'), app('api')]);
    st.config = { apps: [app('db'), app('api', ['db'])] } as unknown as ControlConfig;
    expect(dependentsOf(st, 'db')).toEqual([]);
  });
});
