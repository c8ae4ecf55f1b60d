"""Regenerates src/testdata/sdk-weight-vectors.json from the real bittensor SDK (the parity oracle).

Usage: python sdk-weight-vectors.py <path to bittensor/utils/weight_utils.py> > ../src/testdata/sdk-weight-vectors.json
       then `pnpm exec biome format --write src/testdata` (the repository formats JSON with Biome).
Needs numpy plus the SDK's direct imports (bittensor-wallet, cyscale). The SDK module is loaded on its own with
its logging and torch switch stubbed, because importing the whole `bittensor` package needs a network stack.
Recorded with bittensor 10.2.0 and numpy 2.4.
"""

import importlib.util
import json
import random
import sys
import types

import numpy as np


def load_weight_utils(path):
    class _Quiet:
        def debug(self, *a, **k):
            pass

        def warning(self, *a, **k):
            pass

    stubs = {
        'bittensor': {},
        'bittensor.utils': {},
        'bittensor.core': {},
        'bittensor.core.types': {'Weights': list},
        'bittensor.utils.btlogging': {'logging': _Quiet()},
        'bittensor.utils.registration': {
            'legacy_torch_api_compat': lambda f: f,
            'torch': None,
            'use_torch': lambda: False,
        },
    }
    for name, attrs in stubs.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules[name] = module
    spec = importlib.util.spec_from_file_location('weight_utils', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scores_for(rng, n, shape):
    if shape == 'uniform':
        return [round(rng.random(), 6) for _ in range(n)]
    if shape == 'sparse':
        return [round(rng.random(), 6) if rng.random() < 0.3 else 0.0 for _ in range(n)]
    if shape == 'single':
        out = [0.0] * n
        out[rng.randrange(n)] = round(rng.random(), 6)
        return out
    if shape == 'zeros':
        return [0.0] * n
    if shape == 'geometric':  # tiny tails that round to 0 after max-upscaling
        return [float('%.6g' % (0.5 ** (i * 40 / max(n, 1)) * rng.random())) for i in range(n)]
    if shape == 'ties':
        return [float(rng.randrange(3)) for _ in range(n)]
    raise ValueError(shape)


SHAPES = ['uniform', 'sparse', 'single', 'zeros', 'geometric', 'ties']


def main():
    wu = load_weight_utils(sys.argv[1])
    rng = random.Random(20240402)
    cases = []
    # Small n: every combination; larger n: the combinations where capping and padding bite (keeps the file small).
    grid = {n: ([65535, 49151, 26214, 9362], sorted({0, 1, min(8, n), 64}), SHAPES) for n in [1, 2, 3, 8]}
    grid[64] = ([6553, 1200], [8, 64], SHAPES)
    grid[256] = ([6553, 300], [8], ['uniform', 'sparse', 'geometric', 'ties'])
    for n, (limits, mins, shapes) in grid.items():
        for shape in shapes:
            for max_weight_limit in limits:
                for min_allowed in mins:
                    scores = scores_for(rng, n, shape)
                    uids = list(range(n))
                    total = sum(scores)
                    unit = [s / total for s in scores] if total > 0 else scores
                    p_uids, p_weights = wu.process_weights(
                        np.array(uids, dtype=np.int64),
                        np.array(unit, dtype=np.float64),
                        n,
                        min_allowed,
                        max_weight_limit / 65535,
                    )
                    e_uids, e_weights = wu.convert_weights_and_uids_for_emit(np.array(p_uids), np.array(p_weights))
                    cases.append({
                        'scores': scores,
                        'maxWeightLimit': max_weight_limit,
                        'minAllowedWeights': min_allowed,
                        'processed': {'uids': [int(u) for u in p_uids], 'weights': [float('%.9g' % w) for w in p_weights]},
                        'emitted': {'uids': [int(u) for u in e_uids], 'weights': [int(w) for w in e_weights]},
                    })
    json.dump({'source': 'bittensor 10.2.0 weight_utils, numpy ' + np.__version__, 'cases': cases}, sys.stdout)


main()
