"""A real S3 API for tests: moto's server mode in a process of its own, on a free port."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import boto3

from healthsite.settings import s3_storage

ACCESS_KEY, SECRET_KEY = "test-access-key", "test-secret-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def public_read_policy(bucket: str) -> dict:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicReadOfMedia", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]}


class S3Server:
    """moto_server on 127.0.0.1; `bucket()` makes a fresh bucket and returns the settings that use it."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start")
                time.sleep(0.05)
        raise RuntimeError("moto's S3 server did not answer")

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def bucket(self) -> str:
        """Make a bucket whose files anyone may read, as the README's bucket policy says."""
        name = f"media-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
        return name

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def settings(self, bucket: str) -> tuple[dict, str]:
        """Return the STORAGES entry and MEDIA_URL the site's settings make for this bucket."""
        storage, media_url = s3_storage(bucket, endpoint_url=self.url, region_name="us-east-1")
        storage["OPTIONS"].update(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
        return storage, media_url

    def environment(self, bucket: str) -> dict:
        """Return the environment variables that put a server process's media in this bucket."""
        return {"AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": self.url, "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
