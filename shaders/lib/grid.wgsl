// Flattens a 2-D dispatch back to one element index. 1-D kernels fold their workgroup count
// into (x, y) when it exceeds maxComputeWorkgroupsPerDimension (65,535 by default), so one
// dispatch covers up to 65,535² workgroups.
fn linear_index(gid: vec3<u32>, groups: vec3<u32>, workgroup_width: u32) -> u32 {
  return gid.x + gid.y * groups.x * workgroup_width;
}
