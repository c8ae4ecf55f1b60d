"""Real Python Bittensor SDK peer for @omron/protocol interop tests.

Usage (prints one JSON line per result):
  peer.py dendrite <wallets_path> <wallet> <hotkey> <calls_json>
      calls_json: [{"ip", "port", "hotkey", "synapse", "fields", "legacy"?}, ...] → one JSON list of results
      ("legacy": Omron's published QueryZkProof, which hashes no field)
  peer.py axon <wallets_path> <wallet> <hotkey> <port> <blocked_hotkey>
      prints {"port": N} once serving, stops when stdin closes
  peer.py wallet <wallets_path> <wallet> <hotkey> # prints the hotkey/coldkey addresses btwallet loads
  peer.py encrypted-hotkey <wallets_path> <wallet> <hotkey> <mnemonic> <password>
"""

import asyncio
import json
import sys
from typing import Optional, Tuple

import bittensor as bt
from bittensor.utils import networking
from bittensor_wallet import Keypair, Wallet

# The SDK asks checkip.amazonaws.com for our external IP; tests run offline, and the value is
# informational only (it becomes bt_header_dendrite_ip).
networking.get_external_ip = lambda: "203.0.113.7"


class QueryZkProof(bt.Synapse):
    # Omron's synapse, as in omron-subnet neurons/protocol.py, with the request fields signed
    query_input: Optional[dict] = None
    query_output: Optional[str] = None
    required_hash_fields = ("query_input", "timeout")

    def deserialize(self) -> Optional[str]:
        return self.query_output


class QueryForCapacities(bt.Synapse):
    capacities: Optional[dict[str, int]] = None
    required_hash_fields = ("timeout",)


def _legacy_query_zk_proof():
    # Omron's class as published: no required_hash_fields, so the SDK signs sha3("") and not the inputs.
    class QueryZkProof(bt.Synapse):
        query_input: Optional[dict] = None
        query_output: Optional[str] = None

    return QueryZkProof


LegacyQueryZkProof = _legacy_query_zk_proof()


class Echo(bt.Synapse):
    # required and hashed fields, which Omron's synapses lack
    text: str
    values: list[float]
    reply: Optional[str] = None
    required_hash_fields = ("text", "values")


CLASSES = {"QueryZkProof": QueryZkProof, "QueryForCapacities": QueryForCapacities, "Echo": Echo}


def wallet(path: str, name: str, hotkey: str) -> Wallet:
    return Wallet(name=name, hotkey=hotkey, path=path)


def out(obj) -> None:
    print(json.dumps(obj), flush=True)


def run_dendrite(args) -> None:
    path, name, hotkey, calls_json = args
    dendrite = bt.Dendrite(wallet=wallet(path, name, hotkey))

    async def go():
        results = []
        try:
            for call in json.loads(calls_json):
                axon = bt.AxonInfo(
                    version=0, ip=call["ip"], port=int(call["port"]), ip_type=4,
                    hotkey=call["hotkey"], coldkey=call["hotkey"],
                )
                cls = LegacyQueryZkProof if call.get("legacy") else CLASSES[call["synapse"]]
                syn = cls(**call["fields"])
                res = await dendrite.call(axon, syn, timeout=10, deserialize=False)
                fields = {k: v for k, v in res.model_dump().items() if k not in ("dendrite", "axon")}
                results.append({
                    "status_code": res.dendrite.status_code,
                    "status_message": res.dendrite.status_message,
                    "is_success": res.is_success,
                    "axon_status_code": res.axon.status_code,
                    "axon_signature": res.axon.signature,
                    "fields": fields,
                })
        finally:
            await dendrite.aclose_session()
        return results

    out(asyncio.run(go()))


def run_axon(args) -> None:
    path, name, hotkey, port, blocked_hotkey = args
    w = wallet(path, name, hotkey)

    def forward_zk(synapse: QueryZkProof) -> QueryZkProof:
        synapse.query_output = json.dumps({"echo": synapse.query_input, "caller": synapse.dendrite.hotkey})
        return synapse

    def forward_cap(synapse: QueryForCapacities) -> QueryForCapacities:
        synapse.capacities = {"lstm": 400}
        return synapse

    def forward_echo(synapse: Echo) -> Echo:
        synapse.reply = synapse.text.upper()
        return synapse

    # Blacklists see the synapse built from headers only, so they can judge the caller, not the body.
    def blacklist_zk(synapse: QueryZkProof) -> Tuple[bool, str]:
        return synapse.dendrite.hotkey == blocked_hotkey, "test blacklist"

    axon = bt.Axon(wallet=w, port=int(port), ip="127.0.0.1", external_ip="127.0.0.1")
    axon.attach(forward_fn=forward_zk, blacklist_fn=blacklist_zk)
    axon.attach(forward_fn=forward_cap)
    axon.attach(forward_fn=forward_echo)
    axon.start()
    import socket
    import time

    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", int(port))) == 0:
                break
        time.sleep(0.05)
    out({"port": int(port)})
    sys.stdin.read()
    axon.stop()


def run_wallet(args) -> None:
    w = wallet(*args)
    out({"hotkey": w.hotkey.ss58_address, "coldkeypub": w.coldkeypub.ss58_address})


def run_encrypted_hotkey(args) -> None:
    path, name, hotkey, mnemonic, password = args
    w = wallet(path, name, hotkey)
    kp = Keypair.create_from_mnemonic(mnemonic)
    w.set_hotkey(kp, encrypt=True, overwrite=True, save_hotkey_to_env=False, hotkey_password=password)
    w.set_coldkeypub(kp, encrypt=False, overwrite=True)
    out({"hotkey": kp.ss58_address})


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    {"dendrite": run_dendrite, "axon": run_axon, "wallet": run_wallet, "encrypted-hotkey": run_encrypted_hotkey}[mode](rest)
