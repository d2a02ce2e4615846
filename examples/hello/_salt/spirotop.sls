# Per-deployment top data: SpiroFS keeps only the section of the deployment being
# deployed and publishes it as top.sls of the saltenv hello/<deployment>.
prod:
  '*':
    - hello
dev:
  '*':
    - hello
