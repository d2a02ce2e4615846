# Harmless demo state: copies the bundled artifact to /tmp on the minion.
hello-artifact:
  file.managed:
    - name: /tmp/spirofs-hello.txt
    - source: salt://_artifacts/build/hello.txt
    - mode: '0644'
