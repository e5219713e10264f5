"""The core that training and serving both stand on: the recipe schema (`config`), model
loading (`models`), the adapter registry (`registry`), the feedback store (`feedback`), reading
input files (`sources`), the chat format (`chat`), precision (`precision`), inference-time
loading and generation (`generate`) and content-hash caches (`cache`).

It imports only `cluster/` (the Ray connection, hardware, storage) and libraries; the import
contracts in pyproject.toml keep it so.
"""
