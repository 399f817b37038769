"""Background jobs: district-wide certificate printing and large exports, with progress.

RQ on Redis when `REDIS_URL` is set, otherwise a worker thread inside the app process. Either
way the job's state lives in the `job` table, so every page and every worker sees the same.
"""
