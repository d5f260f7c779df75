-- deploy/compose.yaml: Prefect's own database beside the catalogue, owned by the same role.
CREATE DATABASE prefect OWNER callscribe;
