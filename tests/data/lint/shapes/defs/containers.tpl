[
  {"name": "from-template", "image": "${image}", "privileged": true, "user": "1000"}
]
