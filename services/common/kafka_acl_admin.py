"""Apply the ACL set (`kafka_acls.ACL_SET`) to the cluster: read the ACLs there, create the missing
ones; ACLs outside the set are reported, never deleted.

aiokafka 0.14's admin client has no ACL methods, but its protocol module has the DescribeAcls and
CreateAcls requests (v1, which Kafka 4 still serves): they go through the admin client, so the
login (TLS, SASL) is the one every other client of the house uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest, DescribeAclsRequest

from services.common.kafka import kafka_admin, start_client
from services.common.kafka_acls import ACL_SET, Grant, Operation, Resource
from services.common.settings import KafkaSettings

# Kafka's codes in ACL requests.
_ANY = 1
_LITERAL, _PREFIXED = 3, 4
_ALLOW = 3
_ANY_HOST = "*"


class AclsRefused(RuntimeError):
    """The cluster refused to list or create ACLs (no authorizer, or not a super user)."""


@dataclass(frozen=True)
class AclReport:
    added: list[Grant]
    present: list[Grant]
    outside: list[str]  # ACLs on the cluster that the set does not have, as Kafka describes them


async def apply_acls(
    settings: KafkaSettings, grants: tuple[Grant, ...] = ACL_SET, dry_run: bool = False
) -> AclReport:
    """Create the grants the cluster lacks (none when `dry_run`): running it again adds nothing."""
    admin = kafka_admin(settings, "acls")
    await start_client(admin, settings)
    try:
        existing, outside = await _cluster_acls(admin)
        missing = [grant for grant in grants if grant not in existing]
        if not dry_run:
            for grant in missing:
                await _create(admin, grant)
        present = [grant for grant in grants if grant in existing]
        return AclReport(missing, present, outside)
    finally:
        await admin.close()


async def _cluster_acls(admin: AIOKafkaAdminClient) -> tuple[set[Grant], list[str]]:
    """Every ALLOW from any host the set could contain, and a line for each other ACL."""
    request = DescribeAclsRequest(_ANY, None, _ANY, None, None, _ANY, _ANY)  # None: any name
    response = await _send(admin, request)
    _raise_for(response.error_code, response.error_message, "list the ACLs")
    grants: set[Grant] = set()
    outside: list[str] = []
    for resource_type, name, pattern, acls in response.resources:
        for principal, host, operation, permission in acls:
            grant = _as_grant(resource_type, name, pattern, principal, host, operation, permission)
            if grant is None:
                outside.append(
                    f"{principal} {permission=} {operation=} on {resource_type=} {name} "
                    f"({pattern=}) from {host}"
                )
            else:
                grants.add(grant)
    return grants, outside


def _as_grant(
    resource_type: int,
    name: str,
    pattern: int,
    principal: str,
    host: str,
    operation: int,
    permission: int,
) -> Grant | None:
    if pattern not in (_LITERAL, _PREFIXED) or (permission, host) != (_ALLOW, _ANY_HOST):
        return None
    try:
        return Grant(
            principal, Resource(resource_type), name, Operation(operation), pattern == _PREFIXED
        )
    except ValueError:  # a resource type or an operation the set never grants
        return None


async def _create(admin: AIOKafkaAdminClient, grant: Grant) -> None:
    pattern = _PREFIXED if grant.prefixed else _LITERAL
    request = CreateAclsRequest(
        grant.resource, grant.name, pattern, grant.principal, _ANY_HOST, grant.operation, _ALLOW
    )
    response = await _send(admin, request)
    for code, message in response.creation_responses:
        _raise_for(code, message, f"create the ACL {grant.describe()}")


async def _send(admin: AIOKafkaAdminClient, request: Any) -> Any:
    # The admin client's one way to send a request it has no method for (any broker answers).
    return await admin._send_request(request)


def _raise_for(code: int, message: str | None, action: str) -> None:
    if not code:
        return
    reason = for_code(code).__name__
    if message and len(message) <= 120:  # a long one dumps the broker's request object
        reason += f" ({message})"
    hint = " (log in as a principal of super.users)" if "Authorization" in reason else ""
    raise AclsRefused(f"Kafka refused to {action}: {reason}{hint}")
