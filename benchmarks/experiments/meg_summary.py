"""Tables of the MEG benchmark runs: `meg_toy.py` and `meg_anomaly.py` metrics.json files.

python -m benchmarks.experiments.meg_summary runs/meg
"""

import glob
import json
import os
import sys


def toy_table(root):
    rows = [
        "| run | steps | marginal | Î last epoch | modes gen / MALA | HQ gen / MALA | Parzen NLL "
        "gen / MALA | quadrature NLL of exp(-E) | true NLL | MALA acceptance | Î eval (shuffle / "
        "resample z̃) |",
        "|" + "---|" * 11,
    ]
    for path in sorted(glob.glob(os.path.join(root, "*", "metrics.json"))):
        r = json.load(open(path))
        if "generator" not in r:
            continue
        mala = r[f"mala_{r['mcmc_steps']}"]
        g, e = r["generator"], r["energy_model"]
        mi = r.get("mutual_information_last_epoch")
        rows.append(
            f"| {os.path.basename(os.path.dirname(path))} | {r['steps']} | {r['marginal']} | "
            f"{'n/a' if mi is None else f'{mi:.3f}'} | {g['modes']} / {mala['modes']} | "
            f"{g['high_quality_fraction']:.3f} / {mala['high_quality_fraction']:.3f} | "
            f"{g['parzen_nll']:.3f} / {mala['parzen_nll']:.3f} | {e['quadrature_nll']:.3f} | "
            f"{e['true_nll']:.3f} | {mala.get('acceptance_rate', float('nan')):.3f} | "
            f"{_mi_eval(r)} |"
        )
    return "\n".join(rows)


def _mi_eval(r):
    mi = r.get("mutual_information_eval")
    return f"{mi['shuffle']:.3f} / {mi['resample']:.3f}" if mi else "n/a"


def anomaly_table(root):
    rows = []
    for path in sorted(glob.glob(os.path.join(root, "anomaly*", "metrics.json"))):
        results = json.load(open(path))
        rows += [
            f"\n{os.path.dirname(path)}",
            "| held-out digit | steps | AUPRC | chance (positive share) | paper MEG AUPRC | ROC "
            "AUC | train / test (anomalies) |",
            "|" + "---|" * 7,
        ]
        for digit, r in sorted(results.items()):
            rows.append(
                f"| {digit} | {r['steps']} | {r['auprc']:.3f} | {r['auprc_chance']:.3f} | "
                f"{r['paper_meg_auprc']} | {r['roc_auc']:.3f} | {r['train_examples']} / "
                f"{r['test_examples']} ({r['test_anomalies']}) |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else "runs/meg"
    print(toy_table(root))
    print(anomaly_table(root))
