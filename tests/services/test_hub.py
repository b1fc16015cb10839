"""The in-process hub: presence counted per socket, and publishing straight to the listener."""

from app.services.hub import CHANGED, HubEvent, LocalPresence, MemoryHub


def test_a_participant_comes_online_with_their_first_socket() -> None:
    presence = LocalPresence()
    assert presence.add("ABC123", "anna") is True
    assert presence.add("ABC123", "anna") is False
    assert presence.online("ABC123") == frozenset({"anna"})


def test_a_participant_goes_offline_only_with_their_last_socket() -> None:
    presence = LocalPresence()
    presence.add("ABC123", "anna")
    presence.add("ABC123", "anna")
    assert presence.remove("ABC123", "anna") is False
    assert presence.online("ABC123") == frozenset({"anna"})
    assert presence.remove("ABC123", "anna") is True
    assert presence.online("ABC123") == frozenset()


def test_removing_a_socket_that_was_never_counted_changes_nothing() -> None:
    presence = LocalPresence()
    assert presence.remove("ABC123", "anna") is False
    presence.add("ABC123", "anna")
    assert presence.remove("ABC123", "bram") is False
    assert presence.online("ABC123") == frozenset({"anna"})


def test_sockets_are_counted_per_session() -> None:
    presence = LocalPresence()
    presence.add("ABC123", "anna")
    assert presence.add("XYZ789", "anna") is True  # another session: online there too
    presence.add("XYZ789", "bram")
    assert presence.remove("ABC123", "anna") is True
    assert presence.online("ABC123") == frozenset()
    assert presence.online("XYZ789") == frozenset({"anna", "bram"})


def test_codes_are_the_sessions_with_someone_online() -> None:
    presence = LocalPresence()
    assert presence.codes() == []
    presence.add("ABC123", "anna")
    presence.add("XYZ789", "bram")
    assert sorted(presence.codes()) == ["ABC123", "XYZ789"]
    presence.remove("ABC123", "anna")
    assert presence.codes() == ["XYZ789"]


async def test_a_published_change_reaches_the_listener() -> None:
    heard: list[tuple[str, HubEvent]] = []
    hub = MemoryHub()
    await hub.publish("ABC123", CHANGED)  # no listener yet: goes nowhere
    await hub.start(lambda code, event: heard.append((code, event)))
    await hub.publish("ABC123", HubEvent(removed=("anna",)))
    assert heard == [("ABC123", HubEvent(removed=("anna",)))]


async def test_a_stopped_hub_delivers_nothing() -> None:
    heard: list[str] = []
    hub = MemoryHub()
    await hub.start(lambda code, event: heard.append(code))
    await hub.stop()
    await hub.publish("ABC123", CHANGED)
    assert heard == []


async def test_the_memory_hub_keeps_presence() -> None:
    hub = MemoryHub()
    assert await hub.connected("ABC123", "anna") is True
    assert await hub.connected("ABC123", "anna") is False
    assert await hub.connected("ABC123", "bram") is True
    assert await hub.online("ABC123") == frozenset({"anna", "bram"})
    assert await hub.disconnected("ABC123", "anna") is False
    assert await hub.disconnected("ABC123", "anna") is True
    assert await hub.online("ABC123") == frozenset({"bram"})
    assert hub.healthy
