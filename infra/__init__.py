"""Infrastructure: the embedded S3 server, the one S3 client module, Prefect serving."""
