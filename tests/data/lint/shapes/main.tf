# Terraform: jsonencode, heredoc, file() and templatefile().
resource "aws_ecs_task_definition" "encoded" {
  family       = "encoded"
  network_mode = "host" // ECS.17
  container_definitions = jsonencode([
    {
      name       = "web"
      image      = "nginx:${var.tag}" /* a template: not a deciding value */
      privileged = true
      user       = "root"
      portMappings = [{ containerPort = 80, hostPort = 8080 }]
    },
    {
      name       = "agent"
      image      = "agent"
      privileged = var.debug
    }
  ])
}

resource "aws_ecs_task_definition" "heredoc" {
  family                = "heredoc"
  container_definitions = <<-EOT
    [
      {"name": "app", "image": "app", "privileged": true, "user": "${var.uid}"}
    ]
  EOT
}

resource "aws_ecs_task_definition" "file" {
  family                = "file"
  network_mode          = "bridge"
  container_definitions = file("${path.module}/defs/containers.json")
}

resource "aws_ecs_task_definition" "template" {
  family                = "template"
  container_definitions = templatefile("defs/containers.tpl", { image = var.image })
}

resource "aws_s3_bucket" "other" {
  bucket = "x"
}
