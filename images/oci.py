#!/usr/bin/env python3
"""Writes reproducible OCI image archives, their CycloneDX SBOMs and build provenance.

No container daemon and no registry: each layer is a tar of a staged directory with fixed owners,
modes and times, in name order, gzip-compressed with no timestamp. The same inputs therefore give
the same layer digests, config, manifest and image digest. The archive is an OCI image layout
(skopeo copy oci-archive:FILE docker://...) that also carries Docker's manifest.json, so
`docker load` reads it too.

Used by scripts/build-images.sh; standard library only (Python 3.9+).
"""

import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import stat
import sys
import tarfile
import uuid

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def layer_tar(root, mtime, owners):
    """The uncompressed tar of a directory: sorted, root-owned unless listed in owners, fixed mtime."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in dirnames + sorted(filenames):
                entries.append(os.path.join(dirpath, name))
        for path in sorted(entries, key=lambda p: os.path.relpath(p, root).split(os.sep)):
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            info = tarfile.TarInfo(rel)
            info.mtime = mtime
            info.mode = stat.S_IMODE(st.st_mode)
            uid = owners.get(rel, 0)
            info.uid = info.gid = uid
            info.uname = info.gname = ""
            if stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(path)
                tar.addfile(info)
            elif stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                raise SystemExit(f"unsupported file type in layer: {path}")
    return buf.getvalue()


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=6, mtime=0) as g:
        g.write(data)
    return out.getvalue()


def rfc3339(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_blob(blobs, data):
    digest = sha256(data)
    blobs[digest] = data
    return digest


def write_archive(path, blobs, files, mtime):
    entries = {}
    for digest, data in blobs.items():
        entries["blobs/sha256/" + digest.split(":", 1)[1]] = data
    entries.update(files)
    tmp = path + ".tmp"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, mtime
            tar.addfile(info)
        for name in sorted(entries):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(entries[name]), 0o644, mtime
            tar.addfile(info, io.BytesIO(entries[name]))
    os.replace(tmp, path)


def build_image(args):
    spec = json.load(open(args.spec))
    mtime = int(spec["created_epoch"])
    created = rfc3339(mtime)
    blobs, diff_ids, layers, history = {}, [], [], []
    sizes = {"uncompressed": 0, "compressed": 0}
    for layer in spec["layers"]:
        raw = layer_tar(layer["dir"], mtime, layer.get("owners", {}))
        packed = gz(raw)
        diff_ids.append(sha256(raw))
        digest = add_blob(blobs, packed)
        layers.append({"mediaType": OCI_LAYER, "digest": digest, "size": len(packed)})
        history.append({"created": created, "created_by": layer["created_by"], "comment": layer["name"]})
        sizes["uncompressed"] += len(raw)
        sizes["compressed"] += len(packed)
    labels = dict(spec["labels"])
    labels["org.opencontainers.image.created"] = created
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {
            "User": spec["user"],
            "Env": spec["env"],
            "Entrypoint": spec["entrypoint"],
            "Cmd": spec.get("cmd", []),
            "WorkingDir": spec.get("workdir", "/"),
            "Labels": labels,
            "ExposedPorts": {p: {} for p in spec.get("ports", [])},
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    config_bytes = canonical(config)
    config_digest = add_blob(blobs, config_bytes)
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config_bytes)},
        "layers": layers,
        "annotations": labels,
    }
    manifest_bytes = canonical(manifest)
    manifest_digest = add_blob(blobs, manifest_bytes)
    ref = spec["name"] + ":" + spec["tag"]
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": OCI_MANIFEST,
                "digest": manifest_digest,
                "size": len(manifest_bytes),
                "annotations": {
                    "org.opencontainers.image.ref.name": spec["tag"],
                    "io.containerd.image.name": ref,
                },
            }
        ],
    }
    docker_manifest = [
        {
            "Config": "blobs/sha256/" + config_digest.split(":", 1)[1],
            "RepoTags": [ref],
            "Layers": ["blobs/sha256/" + l["digest"].split(":", 1)[1] for l in layers],
        }
    ]
    files = {
        "oci-layout": canonical({"imageLayoutVersion": "1.0.0"}),
        "index.json": canonical(index),
        "manifest.json": canonical(docker_manifest),
    }
    write_archive(args.out, blobs, files, mtime)
    result = {
        "name": spec["name"],
        "tag": spec["tag"],
        "digest": manifest_digest,
        "config_digest": config_digest,
        "archive": os.path.basename(args.out),
        "archive_sha256": file_sha256(args.out),
        "size_compressed": sizes["compressed"],
        "size_uncompressed": sizes["uncompressed"],
        "layers": [
            {"name": l["name"], "digest": d["digest"], "size": d["size"]}
            for l, d in zip(spec["layers"], layers)
        ],
    }
    with open(args.out + ".json", "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{ref} {manifest_digest} ({sizes['compressed']} bytes compressed, {sizes['uncompressed']} uncompressed)")


def bom_uuid(seed):
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def build_sbom(args):
    """The image's CycloneDX SBOM: the jar's own components, the Java runtime, the Debian packages."""
    image = json.load(open(args.image_json))
    spec = json.load(open(args.spec))
    jar_bom = json.load(open(args.jar_bom))
    created = rfc3339(int(spec["created_epoch"]))
    name = image["name"]
    digest = image["digest"]
    purl = f"pkg:oci/{name.rsplit('/', 1)[1]}@{digest.replace(':', '%3A')}?repository_url={name}&tag={image['tag']}"
    components = []
    app = jar_bom.get("metadata", {}).get("component")
    if app:
        components.append(app)
    components.extend(jar_bom.get("components", []))
    runtime = json.load(open(args.runtime))
    components.append(
        {
            "type": "platform",
            "bom-ref": "java-runtime",
            "name": "java-runtime",
            "group": runtime["vendor"],
            "version": runtime["version"],
            "description": "Java runtime cut with jlink from " + runtime["jdk"] + "; modules: " + ",".join(runtime["modules"]),
            "licenses": [{"license": {"id": "GPL-2.0-only WITH Classpath-exception-2.0"}}],
            "properties": [{"name": "jlink:module", "value": m} for m in runtime["modules"]],
        }
    )
    for line in open(args.debs):
        pkg, version, arch, source = line.split()
        components.append(
            {
                "type": "library",
                "bom-ref": f"pkg:deb/debian/{pkg}@{version}?arch={arch}&distro=debian-12",
                "name": pkg,
                "version": version,
                "purl": f"pkg:deb/debian/{pkg}@{version}?arch={arch}&distro=debian-12",
                "properties": [{"name": "debian:source", "value": source}],
            }
        )
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": bom_uuid(digest),
        "version": 1,
        "metadata": {
            "timestamp": created,
            "tools": {"components": [{"type": "application", "name": "images/oci.py"}]},
            "component": {
                "type": "container",
                "bom-ref": purl,
                "name": name,
                "version": image["tag"],
                "purl": purl,
                "hashes": [{"alg": "SHA-256", "content": digest.split(":", 1)[1]}],
                "licenses": [{"license": {"id": "Apache-2.0"}}],
            },
        },
        "components": components,
    }
    with open(args.out, "w") as f:
        json.dump(bom, f, indent=2, sort_keys=True)
        f.write("\n")


def provenance(args):
    """An in-toto statement with a SLSA v1 provenance predicate over every file named."""
    subjects = []
    for path in args.subjects:
        subjects.append({"name": os.path.basename(path), "digest": {"sha256": file_sha256(path)}})
    for path in args.images:
        image = json.load(open(path))
        subjects.append({"name": image["name"] + ":" + image["tag"], "digest": {"sha256": image["digest"].split(":", 1)[1]}})
    deps = [{"uri": args.source_uri, "digest": {"gitCommit": args.revision}}]
    for line in open(args.debs):
        pkg, version, arch, _ = line.split()[:4]
        deps.append({"uri": f"pkg:deb/debian/{pkg}@{version}?arch={arch}&distro=debian-12"})
    deps.append({"uri": "jdk:" + args.jdk})
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": subjects,
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": args.source_uri + "/scripts/build-images.sh",
                "externalParameters": {"command": args.command, "revision": args.revision, "version": args.version},
                "internalParameters": {"SOURCE_DATE_EPOCH": args.epoch},
                "resolvedDependencies": deps,
            },
            "runDetails": {
                "builder": {"id": args.builder},
                "metadata": {"invocationId": bom_uuid(args.revision + args.builder), "startedOn": args.started},
            },
        },
    }
    with open(args.out, "w") as f:
        json.dump(statement, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("image")
    i.add_argument("--spec", required=True)
    i.add_argument("--out", required=True)
    s = sub.add_parser("sbom")
    s.add_argument("--spec", required=True)
    s.add_argument("--image-json", required=True)
    s.add_argument("--jar-bom", required=True)
    s.add_argument("--runtime", required=True)
    s.add_argument("--debs", required=True)
    s.add_argument("--out", required=True)
    v = sub.add_parser("provenance")
    v.add_argument("--out", required=True)
    v.add_argument("--source-uri", required=True)
    v.add_argument("--revision", required=True)
    v.add_argument("--version", required=True)
    v.add_argument("--command", required=True)
    v.add_argument("--builder", required=True)
    v.add_argument("--jdk", required=True)
    v.add_argument("--epoch", required=True)
    v.add_argument("--started", required=True)
    v.add_argument("--debs", required=True)
    v.add_argument("--images", nargs="*", default=[])
    v.add_argument("subjects", nargs="*")
    args = p.parse_args()
    {"image": build_image, "sbom": build_sbom, "provenance": provenance}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
