"""A loopback stand-in for the part of Dataproc's REST API the resource uses.

It answers the official client's REST transport: create, get and delete a cluster (each
create and delete a finished long-running operation), submit a job and get it. A submitted
job is PENDING, then RUNNING, then ends when it has been looked at three times: DONE, or
what its label ``outcome`` says (``error``: ERROR; ``hang``: never ends). Nothing runs:
this checks the requests the client sends and how the resource follows the states, not
Dataproc's behaviour.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_BASE = r"^/v1/projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)"
_ROUTES = [
    ("POST", re.compile(_BASE + r"/clusters$"), "create_cluster"),
    ("GET", re.compile(_BASE + r"/clusters/(?P<name>[^/:]+)$"), "get_cluster"),
    ("DELETE", re.compile(_BASE + r"/clusters/(?P<name>[^/:]+)$"), "delete_cluster"),
    ("GET", re.compile(_BASE + r"/operations/(?P<name>[^/:]+)$"), "get_operation"),
    ("POST", re.compile(_BASE + r"/jobs:submit$"), "submit_job"),
    ("GET", re.compile(_BASE + r"/jobs/(?P<name>[^/:]+)$"), "get_job"),
]
_TYPE = "type.googleapis.com/google.cloud.dataproc.v1."


class DataprocStandIn:
    """The stand-in's state, and the requests it received (``(method, path)`` pairs)."""

    def __init__(self) -> None:
        self.clusters: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.operations: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.clusters.clear()
            self.jobs.clear()
            self.operations.clear()
            self.requests.clear()

    def _operation(self, project: str, region: str, response: dict[str, Any]) -> dict:
        name = f"projects/{project}/regions/{region}/operations/{uuid.uuid4().hex}"
        operation = {"name": name, "done": True, "response": response,
                     "metadata": {"@type": _TYPE + "ClusterOperationMetadata"}}
        self.operations[name.rsplit("/", 1)[1]] = operation
        return operation

    def create_cluster(self, project, region, body, **_):
        name = body["clusterName"]
        if name in self.clusters:
            return 409, _error(409, f"Already exists: cluster {name}", "ALREADY_EXISTS")
        cluster = {**body, "projectId": project, "status": {"state": "RUNNING"},
                   "clusterUuid": uuid.uuid4().hex}
        self.clusters[name] = cluster
        return 200, self._operation(project, region, {"@type": _TYPE + "Cluster", **cluster})

    def get_cluster(self, name, **_):
        if name not in self.clusters:
            return 404, _error(404, f"Not found: Cluster {name}", "NOT_FOUND")
        return 200, self.clusters[name]

    def delete_cluster(self, project, region, name, **_):
        if self.clusters.pop(name, None) is None:
            return 404, _error(404, f"Not found: Cluster {name}", "NOT_FOUND")
        return 200, self._operation(project, region,
                                    {"@type": "type.googleapis.com/google.protobuf.Empty"})

    def get_operation(self, name, **_):
        return 200, self.operations[name]

    def submit_job(self, project, region, body, **_):
        job = dict(body["job"])
        cluster = job.get("placement", {}).get("clusterName")
        if cluster not in self.clusters:
            return 400, _error(400, f"Cluster {cluster} does not exist", "FAILED_PRECONDITION")
        job_id = job.get("reference", {}).get("jobId") or uuid.uuid4().hex
        job.update(reference={"projectId": project, "jobId": job_id},
                   status={"state": "PENDING"})
        job["_looks"] = 0
        self.jobs[job_id] = job
        return 200, _public(job)

    def get_job(self, name, **_):
        job = self.jobs.get(name)
        if job is None:
            return 404, _error(404, f"Not found: Job {name}", "NOT_FOUND")
        job["_looks"] += 1
        outcome = job.get("labels", {}).get("outcome", "done")
        if job["_looks"] >= 3 and outcome != "hang":
            job["status"] = {"state": "ERROR", "details": "Job failed with exit code 1"} \
                if outcome == "error" else {"state": "DONE"}
        elif job["_looks"] >= 1:
            job["status"] = {"state": "RUNNING"}
        return 200, _public(job)


def _public(job: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in job.items() if not key.startswith("_")}


def _error(code: int, message: str, status: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def serve(stand_in: DataprocStandIn) -> tuple[ThreadingHTTPServer, str]:
    """Start serving ``stand_in`` on 127.0.0.1 in a thread; ``(server, endpoint URL)``."""

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            path = self.path.split("?", 1)[0]
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            with stand_in.lock:
                stand_in.requests.append((self.command, path))
                for method, pattern, action in _ROUTES:
                    match = pattern.match(path)
                    if method == self.command and match:
                        status, payload = getattr(stand_in, action)(body=body,
                                                                    **match.groupdict())
                        break
                else:
                    status, payload = 404, _error(404, f"No route {path}", "NOT_FOUND")
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
